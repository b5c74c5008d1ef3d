// Time-limited links in the browser (DESIGN §7). Creating one: a random 32-byte secret (and an
// optional password, stretched with Argon2id under a fresh salt) gives the link's keys; the
// file's NodeKey is shared to them through t-of-n proxies under a policy with the expiry and
// download limit; the address carries the secret after `#`. Opening one, without an account:
// the server tells the link's state; the page derives the same keys, asks the proxies (through
// the server) for capsule fragments with requests signed by the link's requester key, opens the
// NodeKey, the name and the owner-signed manifest, and streams the file. The secret, the
// password and every key stay in this tab: only public keys, signatures and the salt leave it.
import { argon2id } from "hash-wasm";
import {
	fromBase64url,
	fromUtf8,
	type NodeKey,
	openBox,
	type SigningPublicKey,
	toBase64url,
	verifyPublicIdentity,
} from "../../crypto";
import {
	deriveLinkKeys,
	LINK_SECRET_BYTES,
	type LinkKeys,
	type SharePolicy,
	signLinkAccess,
} from "../../crypto/sharing";
import { PASSPHRASE_ARGON2, type UnlockedKeys } from "../account/account-keys";
import type { ApiClient } from "../api";
import {
	type DownloadOptions,
	type FileVersionInfo,
	openVersionStream,
	type VersionStream,
} from "../vault/download-file";
import type { VaultItem } from "../vault/folder-tree";
import { openManifest } from "../vault/manifest";
import { formatLinkUrl, type LinkAddress } from "./link-url";
import {
	checkReceivedShare,
	openSharedNodeKey,
	prepareShare,
	SHARE_PROXIES,
	signShareRequests,
} from "./share-core";

/** Default lifetime of a link (DESIGN §7: required, 7 days unless chosen). */
export const DEFAULT_LINK_DAYS = 7;
/** Longest lifetime offered; the proxies accept at most 400 days. */
export const MAX_LINK_DAYS = 365;
/** Bytes of a password link's Argon2id salt. */
const PASSWORD_SALT_BYTES = 16;
/** Longest password accepted, in characters (Argon2id takes any length; this bounds work). */
export const MAX_LINK_PASSWORD_CHARS = 1_024;
const DAY_MS = 24 * 3_600_000;

/** Why a link cannot be opened (the link page shows one clear page per reason). */
export type LinkProblem =
	| "invalid"
	| "missing"
	| "expired"
	| "revoked"
	| "exhausted"
	| "wrong-password"
	| "unavailable"
	| "tampered";

/** A link that cannot be opened, with the reason. Never carries the secret or password. */
export class LinkError extends Error {
	override name = "LinkError";
	constructor(
		readonly problem: LinkProblem,
		options?: ErrorOptions,
	) {
		super(LINK_PROBLEM_MESSAGES[problem], options);
	}
}

/** What a person reads for each problem. */
export const LINK_PROBLEM_MESSAGES: Record<LinkProblem, string> = {
	invalid:
		"This link is incomplete or damaged. Ask for the full link again, including everything after “#”.",
	missing: "This link does not exist (or no longer exists). Ask its owner for a new one.",
	expired: "This link has expired. Ask its owner for a new one.",
	revoked: "The owner revoked this link. It no longer opens.",
	exhausted: "This link has reached its download limit. Ask its owner for a new one.",
	"wrong-password": "That password is not right for this link. Check it and try again.",
	unavailable:
		"Too few storage nodes answered to open this link. Please try again in a few minutes.",
	tampered:
		"This link's file failed its integrity check: the server returned data that does not match what the owner shared. Nothing was opened.",
};

/** The lifetime, limit and password a link is made with. */
export interface LinkOptions {
	/** When the link stops opening (ms since the epoch); required. */
	expiresAt: number;
	/** Most downloads (each opening of the link counts once); none when absent. */
	useLimit?: number;
	/** Optional password the recipient must type as well. */
	password?: string;
}

/** Argon2id of a link password, with the passphrase parameters pinned in the client (§9.9). */
export async function stretchLinkPassword(password: string, salt: Uint8Array): Promise<Uint8Array> {
	if (password.length === 0 || password.length > MAX_LINK_PASSWORD_CHARS)
		throw new RangeError(`A link password has 1 to ${MAX_LINK_PASSWORD_CHARS} characters.`);
	return argon2id({
		password: password.normalize("NFKC"),
		salt,
		...PASSPHRASE_ARGON2,
		outputType: "binary",
	});
}

/** A link's keys from its secret and, for a password link, the password and stored salt. */
async function linkKeys(
	linkId: string,
	secret: Uint8Array,
	password?: { password: string; salt: Uint8Array },
): Promise<LinkKeys> {
	if (!password) return deriveLinkKeys(secret, linkId);
	const stretched = await stretchLinkPassword(password.password, password.salt);
	try {
		return deriveLinkKeys(secret, linkId, stretched);
	} finally {
		stretched.fill(0);
	}
}

/**
 * Makes a link to one file and returns its address (the only place its secret is written).
 * @example const { url } = await createLink(api, keys, item, { expiresAt: Date.now() + 7 * DAY });
 */
export async function createLink(
	api: ApiClient,
	owner: UnlockedKeys,
	file: Pick<VaultItem, "id" | "kind" | "key">,
	options: LinkOptions,
	origin = globalThis.location?.origin ?? "",
): Promise<{ id: string; url: string }> {
	if (file.kind !== "file") throw new RangeError("Links share one file.");
	if (!Number.isSafeInteger(options.expiresAt) || options.expiresAt <= Date.now())
		throw new RangeError("Choose an expiry in the future.");
	if (options.expiresAt - Date.now() > MAX_LINK_DAYS * DAY_MS + DAY_MS)
		throw new RangeError(`Links can last at most ${MAX_LINK_DAYS} days.`);
	const id = crypto.randomUUID();
	const secret = crypto.getRandomValues(new Uint8Array(LINK_SECRET_BYTES));
	const salt = options.password
		? crypto.getRandomValues(new Uint8Array(PASSWORD_SALT_BYTES))
		: undefined;
	const keys = await linkKeys(
		id,
		secret,
		options.password && salt ? { password: options.password, salt } : undefined,
	);
	const proxies = await api.shares.proxies.query({ count: SHARE_PROXIES });
	const prepared = prepareShare({
		id,
		owner: { userId: owner.userId, accountKey: owner.accountKey },
		nodeKey: file.key,
		receivingPk: keys.receivingPk.toBytes(),
		requesterPk: keys.requesterPk,
		proxies,
		expiresAt: options.expiresAt,
		useLimit: options.useLimit ?? 0,
	});
	keys.requester.wipe();
	await api.shares.create.mutate({
		...prepared,
		nodeId: file.id,
		kind: "link",
		...(salt ? { passwordSalt: toBase64url(salt) } : {}),
	});
	const url = formatLinkUrl(origin, id, secret);
	secret.fill(0);
	return { id, url };
}

type OpenedLink = NonNullable<Awaited<ReturnType<ApiClient["links"]["open"]["query"]>>["link"]>;

/** A link as the server describes it before it is opened: active (with a password?) or ended. */
export type LinkStatus =
	| { state: "active"; link: OpenedLink; needsPassword: boolean }
	| { state: "expired" | "revoked" | "exhausted" | "missing" };

/** Asks the server for the link's state (the secret is not sent; only the id). */
export async function fetchLinkStatus(api: ApiClient, linkId: string): Promise<LinkStatus> {
	const answer = await api.links.open.query({ id: linkId });
	if (answer.state !== "active") return { state: answer.state };
	if (!answer.link) return { state: "missing" };
	return { state: "active", link: answer.link, needsPassword: answer.link.passwordSalt !== null };
}

/** An opened link: the file's verified name and size, and a way to stream it. */
export interface UnlockedLink {
	name: string;
	size: number;
	/** Streams the file's current version, each shard fetched with a fresh proof of the keys. */
	download(options?: Omit<DownloadOptions, "access">): Promise<VersionStream>;
}

/** The ending the proxies agree on, when every one of them refused. */
function endingOf(refusals: string[]): LinkProblem {
	const all = (reason: string) => refusals.length > 0 && refusals.every((r) => r === reason);
	if (all("USE_LIMIT_REACHED")) return "exhausted";
	if (all("SHARE_EXPIRED")) return "expired";
	if (all("REVOKED")) return "revoked";
	return "unavailable";
}

/**
 * The file's key, name and verified size from the proxies' fragments: the owner's identity is
 * self-signed and the owner's, the name opens under the key bound to the item, the manifest is
 * the owner's for this version. Any failure is LinkError "tampered" (or "unavailable" when too
 * few fragments verify) — nothing unverified is shown.
 */
function openLinkedFile(
	link: OpenedLink,
	policy: SharePolicy,
	keys: LinkKeys,
	cfrags: string[],
	version: FileVersionInfo,
): { nodeKey: NodeKey; name: string; size: number; authorKey: SigningPublicKey } {
	let nodeKey: NodeKey;
	try {
		nodeKey = openSharedNodeKey(link, policy, keys.receivingSk, cfrags);
	} catch (cause) {
		const tooFew = (cause as { name?: string }).name === "NotEnoughCFragsError";
		throw new LinkError(tooFew ? "unavailable" : "tampered", { cause });
	}
	try {
		const identity = verifyPublicIdentity(fromBase64url(link.owner.publicIdentity));
		if (identity.userId !== link.owner.id) throw new Error("owner identity of another user");
		const name = fromUtf8(
			openBox({
				key: nodeKey,
				purpose: "node-name",
				boundTo: { node: link.node.id, parent: link.node.bindingParent },
				box: fromBase64url(link.node.sealedName),
			}),
		);
		// The size shown is the one the owner signed, not the server's claim.
		const manifest = openManifest(fromBase64url(version.sealedManifest), nodeKey, {
			fileId: link.node.id,
			versionId: version.id,
			authorKey: identity.signingPublicKey,
		});
		if (manifest.authorId !== identity.userId) throw new Error("manifest of another author");
		return { nodeKey, name, size: manifest.size, authorKey: identity.signingPublicKey };
	} catch (cause) {
		throw new LinkError("tampered", { cause });
	}
}

/**
 * Opens an active link: derives its keys (with the password, for a password link), has the
 * proxies re-encrypt (one use of the link), opens the file's key, name and manifest. Throws
 * LinkError (a wrong password, an ended link, data that does not verify).
 */
export async function unlockLink(
	api: ApiClient,
	address: LinkAddress,
	link: OpenedLink,
	password?: string,
): Promise<UnlockedLink> {
	const { linkId, secret } = address;
	if (link.id !== linkId) throw new LinkError("invalid");
	if (link.passwordSalt !== null && !password) throw new LinkError("wrong-password");
	const keys = await linkKeys(
		linkId,
		secret,
		link.passwordSalt !== null && password
			? { password, salt: fromBase64url(link.passwordSalt) }
			: undefined,
	);
	let policy: SharePolicy;
	try {
		policy = checkReceivedShare(link, keys.receivingPk);
	} catch (cause) {
		// Keys that do not match the link's policy: a wrong password, or a damaged secret.
		throw new LinkError(link.passwordSalt !== null ? "wrong-password" : "invalid", { cause });
	}
	const proof = () => toBase64url(signLinkAccess(linkId, Date.now(), keys.requester));
	// The file's versions are fetched while the proxies re-encrypt: one round trip less. What
	// the proxies say decides first, so an ended link is reported as such.
	const [reencrypted, listed] = await Promise.allSettled([
		api.links.reencrypt.mutate({ id: linkId, requests: signShareRequests(link, keys.requester) }),
		api.links.versions.query({ id: linkId, proof: proof() }),
	]);
	if (reencrypted.status === "rejected") throw reencrypted.reason;
	const results = reencrypted.value;
	const cfrags = results.flatMap((result) => (result.cfrag ? [result.cfrag] : []));
	if (cfrags.length < policy.threshold)
		throw new LinkError(endingOf(results.flatMap((result) => result.refused ?? [])));
	if (listed.status === "rejected") throw listed.reason;
	const version = listed.value[0];
	if (!version) throw new LinkError("missing");
	const { nodeKey, name, size, authorKey } = openLinkedFile(link, policy, keys, cfrags, version);
	const item: VaultItem = {
		id: link.node.id,
		parentId: link.node.bindingParent,
		kind: "file",
		name,
		key: nodeKey,
		createdAt: version.committedAt,
		updatedAt: version.committedAt,
		trashedAt: null,
	};
	return {
		name,
		size,
		download: (options = {}) =>
			openVersionStream(item, version, authorKey, {
				...options,
				access: { via: "link", linkId, proof },
			}),
	};
}
