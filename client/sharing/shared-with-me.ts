// What others shared with this account, opened in the browser (DESIGN §7): each share's signed
// policy must be made out to my identity keys; I sign one re-encryption request per proxy, the
// server relays them, and the shared item's NodeKey opens from ≥ t capsule fragments that
// verify (a lying proxy's fragment is skipped). Names and files below a shared folder open with
// the folder's key, exactly as in the owner's vault; files are checked against the owner's
// signature, with the owner's identity checked against this account's pin. Must never show a
// name or byte that did not verify, and never send my keys anywhere.
import { equalBytes, type NodeKey, type SigningPublicKey } from "../../crypto";
import { NotEnoughCFragsError } from "../../crypto/sharing";
import { PublicKey, SecretKey } from "../../crypto/umbral";
import type { UnlockedKeys } from "../account/account-keys";
import {
	type CheckedIdentity,
	checkPublishedIdentity,
	IdentityChangedError,
} from "../account/identity-pins";
import type { ApiClient } from "../api";
import {
	type DownloadOptions,
	type FileVersionInfo,
	openVersionStream,
	type VersionStream,
} from "../vault/download-file";
import { openSeenFolderState, seenFolder } from "../vault/folder-sync";
import {
	checkedListing,
	type FolderListing,
	openListing,
	openNodeName,
	type VaultItem,
} from "../vault/folder-tree";
import {
	checkReceivedShare,
	openSharedNodeKey,
	type ReceivedShare,
	signShareRequests,
} from "./share-core";

/** A share with me as the server lists it. */
export type ShareWithMe = Awaited<ReturnType<ApiClient["shares"]["withMe"]["query"]>>[number];

/** A share whose item is open in this tab. */
export interface OpenedShare {
	share: ShareWithMe;
	/** The owner, checked against this account's pin (status "changed" when their key changed). */
	owner: CheckedIdentity;
	/** The shared file or folder itself. */
	item: Pick<VaultItem, "id" | "kind" | "name" | "key">;
}

/** A share listed but not opened, and why. */
export interface UnopenedShare {
	share: ShareWithMe;
	reason: string;
}

/** The share was made out to other keys than mine: it is not opened. */
export class ShareNotForMeError extends Error {
	override name = "ShareNotForMeError";
	constructor(options?: ErrorOptions) {
		super(
			"This share is not made out to your keys, so it cannot be opened. Ask the owner to share again.",
			options,
		);
	}
}

/** Fewer than t proxies returned a valid capsule fragment: the share cannot be opened now. */
export class ShareUnavailableError extends Error {
	override name = "ShareUnavailableError";
	constructor(
		readonly valid: number,
		readonly threshold: number,
		readonly rejected: number,
		options?: ErrorOptions,
	) {
		super(
			valid === 0 && rejected === 0
				? "The storage nodes holding this share did not answer or refused: it may have ended. Please try again later."
				: `Only ${valid} of the ${threshold} storage nodes needed answered correctly${rejected > 0 ? ` (${rejected} gave invalid answers, ignored)` : ""}. Please try again later.`,
			options,
		);
	}
}

/** The shared item's name or a file's owner does not verify: nothing is shown. */
export class SharedItemUnverifiableError extends Error {
	override name = "SharedItemUnverifiableError";
}

function asReceived(share: ShareWithMe): ReceivedShare {
	const { id, capsule, ciphertext, policy, proxies } = share;
	return { id, capsule, ciphertext, policy, proxies };
}

/**
 * The NodeKey of the item `share` shares, from the proxies through the server. Throws
 * ShareNotForMeError or ShareUnavailableError.
 */
export async function openShareKey(
	api: ApiClient,
	keys: UnlockedKeys,
	share: ShareWithMe,
): Promise<NodeKey> {
	const received = asReceived(share);
	let policy: ReturnType<typeof checkReceivedShare>;
	try {
		policy = checkReceivedShare(received, PublicKey.fromBytes(keys.identity.encryptionPublicKey));
		// Only the key named as requester may ask the proxies: it must be mine too.
		if (!equalBytes(policy.requesterPk, keys.identity.signingPublicKey))
			throw new Error("requester key is not mine");
	} catch (error) {
		throw new ShareNotForMeError({ cause: error });
	}
	const results = await api.shares.reencrypt.mutate({
		shareId: share.id,
		requests: signShareRequests(received, keys.identity.signing),
	});
	const cfrags = results.flatMap((result) => (result.cfrag ? [result.cfrag] : []));
	const secret = keys.identity.encryption.exportBytes();
	try {
		return openSharedNodeKey(received, policy, SecretKey.fromBytes(secret), cfrags);
	} catch (error) {
		if (error instanceof NotEnoughCFragsError)
			throw new ShareUnavailableError(error.valid, error.threshold, error.rejected, {
				cause: error,
			});
		throw new SharedItemUnverifiableError(
			"This share's key does not open: the data returned is not what the owner shared.",
			{ cause: error },
		);
	} finally {
		secret.fill(0);
	}
}

/** Checks a share's owner against this account's pin (pinning them the first time). */
export function checkShareOwner(keys: UnlockedKeys, share: ShareWithMe): CheckedIdentity {
	return checkPublishedIdentity(keys, {
		userId: share.owner.id,
		handle: share.owner.handle,
		displayName: share.owner.displayName,
		publicIdentity: share.owner.publicIdentity,
	});
}

/** Opens one share: its key from the proxies, then the shared item's name with that key. */
export async function openShareWithMe(
	api: ApiClient,
	keys: UnlockedKeys,
	share: ShareWithMe,
): Promise<OpenedShare> {
	const owner = checkShareOwner(keys, share);
	const key = await openShareKey(api, keys, share);
	let name: string;
	try {
		name = openNodeName(key, share.node, share.node.bindingParent);
	} catch (error) {
		throw new SharedItemUnverifiableError(
			"This shared item's name does not verify: the server returned data that is not what the owner shared.",
			{ cause: error },
		);
	}
	return { share, owner, item: { id: share.node.id, kind: share.node.kind, name, key } };
}

/**
 * Everything shared with me, each opened (newest first); shares that cannot be opened now are
 * returned apart with a readable reason.
 */
export async function listSharedWithMe(
	api: ApiClient,
	keys: UnlockedKeys,
): Promise<{ opened: OpenedShare[]; unopened: UnopenedShare[] }> {
	const shares = await api.shares.withMe.query();
	const results = await Promise.allSettled(
		shares.map((share) => openShareWithMe(api, keys, share)),
	);
	const opened: OpenedShare[] = [];
	const unopened: UnopenedShare[] = [];
	results.forEach((result, i) => {
		const share = shares[i] as ShareWithMe;
		if (result.status === "fulfilled") opened.push(result.value);
		else unopened.push({ share, reason: readableReason(result.reason) });
	});
	return { opened, unopened };
}

function readableReason(error: unknown): string {
	const name = (error as { name?: string }).name;
	if (
		name === "ShareNotForMeError" ||
		name === "ShareUnavailableError" ||
		name === "SharedItemUnverifiableError" ||
		name === "IdentityChangedError"
	)
		return (error as Error).message;
	if ((error as { data?: { appCode?: string } }).data?.appCode === "NOT_FOUND")
		return "This share has ended.";
	return "It could not be opened. Please try again later.";
}

/**
 * The items of folder `folder` inside a share, opened with the folder's key; items the server
 * listed elsewhere or that do not verify are returned apart. The folder's state must be signed
 * by the share's owner (whose key must still match the pin).
 */
export async function listSharedFolder(
	api: ApiClient,
	share: Pick<OpenedShare, "share" | "owner">,
	folder: { id: string; key: NodeKey },
): Promise<FolderListing> {
	const shareId = share.share.id;
	const ownerKey = ownerSigningKey(share.owner);
	const [rows, shared] = await Promise.all([
		api.shares.children.query({ shareId, folderId: folder.id }),
		api.shares.folderState.query({ shareId, folderId: folder.id }),
	]);
	const opened = openListing(rows, folder, folder.id);
	// The owner's sealed state of the folder, under the folder's key, which this share gives.
	// The vault's id comes with the answer; a recipient saves no state of this folder, so what
	// this device has seen of it cannot change while the question is on its way.
	const binding = { vaultId: shared.vaultId, folderId: folder.id };
	const state = openSeenFolderState(
		shared.state,
		folder.key,
		binding,
		ownerKey,
		seenFolder(binding),
	);
	// A folder its owner has not saved a state for yet has nothing to be checked against.
	return state ? checkedListing(opened, rows, state) : { ...opened, omitted: 0 };
}

/** The versions of a file inside a share, newest first. */
export function listSharedVersions(
	api: ApiClient,
	shareId: string,
	fileId: string,
): Promise<FileVersionInfo[]> {
	return api.shares.versions.query({ shareId, fileId });
}

/**
 * The signing key the owner's manifests are checked against: theirs, once their identity
 * matches this account's pin. Throws IdentityChangedError when their key changed.
 */
export function ownerSigningKey(owner: CheckedIdentity): SigningPublicKey {
	if (owner.status === "changed") throw new IdentityChangedError(owner.handle);
	return owner.identity.signingPublicKey;
}

/**
 * Opens one version of a file inside a share as a verified stream, read through the share; the
 * manifest must be signed by the share's owner (whose key must still match the pin).
 */
export async function openSharedFile(
	opened: OpenedShare,
	file: Pick<VaultItem, "id" | "key">,
	version: FileVersionInfo,
	options: Omit<DownloadOptions, "access"> = {},
): Promise<VersionStream> {
	return openVersionStream(file, version, ownerSigningKey(opened.owner), {
		...options,
		access: { via: "share", shareId: opened.share.id },
	});
}
