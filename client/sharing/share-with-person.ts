// Sharing a file or folder with another Coffre user, in the browser (DESIGN §7, issue #9): the
// recipient's identity must be the one this account pinned (a changed key is refused until the
// user accepts it after comparing safety numbers); the share is made out to that identity's
// keys, t of n kfrags go to proxy nodes the server proposes, and the server only relays. Must
// never share to an identity the user has not seen, and never send a key in the clear.
import type { NodeKey } from "../../crypto";
import {
	type CheckedIdentity,
	IdentityChangedError,
	requireTrustedIdentity,
} from "../account/identity-pins";
import type { UnlockedAccount } from "../account/unlocked-account";
import type { ApiClient } from "../api";
import { prepareShare, SHARE_PROXIES, SHARE_THRESHOLD } from "./share-core";

const DAY_MS = 24 * 3_600_000;

/**
 * The longest a share may last, in days: storage nodes refuse longer ones (p2p/protocols/
 * reencrypt/constants MAX_SHARE_LIFETIME_MS = 400 days). A share "without end date" lasts one
 * day less, so that a browser clock a little ahead of the nodes' is not refused.
 */
export const MAX_SHARE_DAYS = 400;
export const OPEN_ENDED_SHARE_DAYS = MAX_SHARE_DAYS - 1;

/** An end date the proxies cannot honour (past, or beyond their limit). */
export class InvalidShareExpiryError extends Error {
	override name = "InvalidShareExpiryError";
}

/** Fewer storage nodes can act as proxies than a share needs. */
export class NotEnoughProxiesError extends Error {
	override name = "NotEnoughProxiesError";
	constructor(available: number) {
		super(
			`Sharing needs at least ${SHARE_THRESHOLD} storage nodes to act as proxies; only ${available} can right now. Please try again later.`,
		);
	}
}

/** Sharing with yourself: you already have everything. */
export class ShareWithSelfError extends Error {
	override name = "ShareWithSelfError";
	constructor() {
		super("This is you: you already have access to your own files.");
	}
}

/**
 * When a share ends: the end of `lastDay` (a local "YYYY-MM-DD", as a date input gives it), or
 * the longest the proxies allow when none is chosen. Throws InvalidShareExpiryError.
 */
export function shareExpiry(lastDay: string | undefined, now = Date.now()): number {
	if (!lastDay) return now + OPEN_ENDED_SHARE_DAYS * DAY_MS;
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(lastDay);
	if (!match) throw new InvalidShareExpiryError("Please choose a valid date.");
	const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
	// Access ends when that day ends, in this browser's time zone.
	const end = new Date(year, month - 1, day + 1).getTime();
	if (Number.isNaN(end) || end <= now)
		throw new InvalidShareExpiryError("The end date must be today or later.");
	if (end - now > OPEN_ENDED_SHARE_DAYS * DAY_MS)
		throw new InvalidShareExpiryError(
			`Shares can last at most ${OPEN_ENDED_SHARE_DAYS} days; choose an earlier date or none.`,
		);
	return end;
}

/**
 * Shares the item with the person `recipient` describes — the identity the user was shown and
 * compared. It is checked again against the server and this account's pin just before any key
 * is wrapped: if the server now answers with other keys, nothing is shared.
 * @example await shareWithPerson(api, account, { item, recipient, expiresAt: shareExpiry(undefined) });
 */
export async function shareWithPerson(
	api: ApiClient,
	account: UnlockedAccount,
	{
		item,
		recipient,
		expiresAt,
	}: { item: { id: string; key: NodeKey }; recipient: CheckedIdentity; expiresAt: number },
): Promise<{ id: string; proxies: number }> {
	if (recipient.userId === account.user.id) throw new ShareWithSelfError();
	const trusted = await requireTrustedIdentity(api, account.keys, recipient.handle);
	if (trusted.publicIdentity !== recipient.publicIdentity || trusted.userId !== recipient.userId)
		throw new IdentityChangedError(recipient.handle);
	const proxies = await api.shares.proxies.query({ count: SHARE_PROXIES });
	if (proxies.length < SHARE_THRESHOLD) throw new NotEnoughProxiesError(proxies.length);
	const prepared = prepareShare({
		owner: { userId: account.keys.userId, accountKey: account.keys.accountKey },
		nodeKey: item.key,
		receivingPk: trusted.identity.encryptionPublicKey,
		requesterPk: trusted.identity.signingPublicKey,
		proxies,
		expiresAt,
	});
	return api.shares.create.mutate({
		...prepared,
		nodeId: item.id,
		kind: "user",
		recipientId: trusted.userId,
	});
}
