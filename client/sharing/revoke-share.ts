// Revoking a share or link (DESIGN §7 "Revocation"), in the owner's browser: the ShareKey sealed
// under the AccountKey is opened, the share's signer derived from it signs the revocation, and
// the server relays it to the proxies (which delete their kfrags) and forgets the share's keys.
// What a recipient already downloaded stays with them. The ShareKey never leaves this tab.
import { asWrapped, fromBase64url, toBase64url, unwrapShareKey } from "../../crypto";
import { deriveShareSigner, signShareRevocation } from "../../crypto/sharing";
import type { UnlockedKeys } from "../account/account-keys";
import type { ApiClient } from "../api";
import { uuidBytes } from "./share-core";

/** The share is already over: nothing is left to revoke. */
export class ShareEndedError extends Error {
	override name = "ShareEndedError";
	constructor() {
		super("This share has already ended; there is nothing left to revoke.");
	}
}

/**
 * Revokes one of the owner's shares or links; resolves with how many proxies were reached (the
 * others drop the kfrag at expiry, or when they next hear of the revocation).
 * @example await revokeShare(api, keys, { id: share.id, sealedShareKey: share.sealedShareKey });
 */
export async function revokeShare(
	api: ApiClient,
	owner: UnlockedKeys,
	share: { id: string; sealedShareKey: string | null },
): Promise<{ proxiesReached: number }> {
	if (!share.sealedShareKey) throw new ShareEndedError();
	const shareKey = unwrapShareKey(
		asWrapped("ShareKey", fromBase64url(share.sealedShareKey)),
		owner.accountKey,
		{ userId: owner.userId, shareId: share.id },
	);
	let revocation: Uint8Array;
	try {
		revocation = signShareRevocation(
			{ shareId: uuidBytes(share.id), revokedAt: Date.now() },
			deriveShareSigner(shareKey),
		);
	} finally {
		shareKey.wipe();
	}
	return api.shares.revoke.mutate({ id: share.id, revocation: toBase64url(revocation) });
}
