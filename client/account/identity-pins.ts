// Trust on first use for other people's identities (DESIGN §3, §9.4). The first time this
// account looks someone up, their verified PublicIdentity is pinned; later lookups must match
// the pin, and a changed key is refused until the user accepts it after comparing safety
// numbers. Pins are kept in this browser's storage, sealed under the AccountKey.
import {
	fromBase64url,
	fromUtf8,
	openBox,
	type PublicIdentity,
	safetyNumber,
	sealBox,
	toBase64url,
	utf8,
	verifyPublicIdentity,
} from "../../crypto";
import type { ApiClient } from "../api";
import type { UnlockedKeys } from "./account-keys";

export interface IdentityPin {
	userId: string;
	handle: string;
	displayName: string;
	/** The pinned SignedPublicIdentity, base64url. */
	publicIdentity: string;
	/** True once the user compared the safety number out of band. */
	verified: boolean;
	pinnedAt: number;
}

export type IdentityStatus = "new" | "pinned" | "verified" | "changed";

export interface CheckedIdentity {
	status: IdentityStatus;
	userId: string;
	handle: string;
	displayName: string;
	publicIdentity: string;
	identity: PublicIdentity;
	/** 12 groups of 5 digits, the same on both sides. */
	safetyNumber: string[];
}

export class IdentityChangedError extends Error {
	override name = "IdentityChangedError";
	constructor(handle: string) {
		super(
			`@${handle}'s keys changed since you last used them. Compare safety numbers before sharing.`,
		);
	}
}

const storageKey = (userId: string) => `coffre:identity-pins:${userId}`;

function readPins(keys: UnlockedKeys): Record<string, IdentityPin> {
	const stored = localStorage.getItem(storageKey(keys.userId));
	if (!stored) return {};
	const plaintext = openBox({
		key: keys.accountKey,
		purpose: "identity-pins",
		boundTo: { user: keys.userId },
		box: fromBase64url(stored),
	});
	return JSON.parse(fromUtf8(plaintext)) as Record<string, IdentityPin>;
}

function writePins(keys: UnlockedKeys, pins: Record<string, IdentityPin>): void {
	const box = sealBox({
		key: keys.accountKey,
		purpose: "identity-pins",
		boundTo: { user: keys.userId },
		plaintext: utf8(JSON.stringify(pins)),
	});
	localStorage.setItem(storageKey(keys.userId), toBase64url(box));
}

/** A person's identity as the server hands it out (by handle, or as the owner of a share). */
export interface PublishedIdentity {
	userId: string;
	handle: string;
	displayName: string;
	/** Their SignedPublicIdentity, base64url. */
	publicIdentity: string;
}

/**
 * Looks up `handle`, checks the identity's self-signature and that it names the user the
 * server says, and compares it with this account's pin. Pins it when it is new.
 */
export async function checkIdentity(
	api: ApiClient,
	keys: UnlockedKeys,
	handle: string,
): Promise<CheckedIdentity> {
	return checkPublishedIdentity(keys, await api.identity.byHandle.query({ handle }));
}

/**
 * Checks an identity the server handed out (e.g. the owner of a share with me): its
 * self-signature, that it names the user the server says, and this account's pin. Pins it
 * when it is new.
 */
export function checkPublishedIdentity(
	keys: UnlockedKeys,
	found: PublishedIdentity,
): CheckedIdentity {
	const identity = verifyPublicIdentity(fromBase64url(found.publicIdentity));
	if (identity.userId !== found.userId) throw new IdentityChangedError(found.handle);
	const mine = verifyPublicIdentity(keys.publicIdentity);
	const pins = readPins(keys);
	const pin = pins[found.userId];
	let status: IdentityStatus;
	if (!pin) {
		pins[found.userId] = {
			userId: found.userId,
			handle: found.handle,
			displayName: found.displayName,
			publicIdentity: found.publicIdentity,
			verified: false,
			pinnedAt: Date.now(),
		};
		writePins(keys, pins);
		status = "new";
	} else if (pin.publicIdentity !== found.publicIdentity) {
		status = "changed";
	} else {
		status = pin.verified ? "verified" : "pinned";
	}
	return { status, ...found, identity, safetyNumber: safetyNumber(mine, identity) };
}

/** Records that the user compared safety numbers with this person. */
export function markIdentityVerified(keys: UnlockedKeys, checked: CheckedIdentity): void {
	const pins = readPins(keys);
	const pin = pins[checked.userId];
	if (!pin || pin.publicIdentity !== checked.publicIdentity)
		throw new IdentityChangedError(checked.handle);
	pins[checked.userId] = { ...pin, verified: true };
	writePins(keys, pins);
}

/** Replaces a changed pin with the new identity, after the user compared safety numbers. */
export function acceptChangedIdentity(keys: UnlockedKeys, checked: CheckedIdentity): void {
	const pins = readPins(keys);
	pins[checked.userId] = {
		userId: checked.userId,
		handle: checked.handle,
		displayName: checked.displayName,
		publicIdentity: checked.publicIdentity,
		verified: false,
		pinnedAt: Date.now(),
	};
	writePins(keys, pins);
}

/** The identity to wrap keys to: refuses a changed one (sharing uses this). */
export async function requireTrustedIdentity(
	api: ApiClient,
	keys: UnlockedKeys,
	handle: string,
): Promise<CheckedIdentity> {
	const checked = await checkIdentity(api, keys, handle);
	if (checked.status === "changed") throw new IdentityChangedError(checked.handle);
	return checked;
}

/** Everyone this account has pinned, for the People page. */
export function listPinnedIdentities(keys: UnlockedKeys): IdentityPin[] {
	return Object.values(readPins(keys)).sort((a, b) => a.handle.localeCompare(b.handle));
}
