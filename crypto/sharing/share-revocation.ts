// Share revocation (DESIGN §7 "Revocation"): the owner's order to the proxies of one share to
// refuse and delete its kfrag now. Layout: version (1) ‖ shareId (16) ‖ revokedAt u64 = 25
// bytes, then a 64-byte Umbral ECDSA signature by the per-share signer (the policy's
// verifyingPk) over "coffre/share-revocation/v1" ‖ body. A proxy accepts it only against the
// verifying key of the policy it holds; it never trusts a key the revocation brings.
import { ByteReader, ByteWriter, concatBytes } from "../bytes";
import { FormatError, SignatureError, UnsupportedVersionError } from "../errors";
import type { PublicKey, Signer, UmbralOptions } from "../umbral";
import { SHARE_ID_BYTES } from "./share-policy";
import { labelledMessage, splitSigned } from "./signed-bytes";

export const SHARE_REVOCATION_VERSION = 1;
export const SHARE_REVOCATION_LABEL = "coffre/share-revocation/v1";
const BODY_BYTES = 1 + SHARE_ID_BYTES + 8;

/** A signed order to revoke one share. */
export interface ShareRevocation {
	shareId: Uint8Array;
	/** When the owner revoked, ms since the epoch (informative: revocation is immediate). */
	revokedAt: number;
}

/**
 * Signs a revocation with the share's signer (see `deriveShareSigner`).
 * @example const signedRevocation = signShareRevocation({ shareId, revokedAt: Date.now() }, signer);
 */
export function signShareRevocation(
	revocation: ShareRevocation,
	signer: Signer,
	options?: UmbralOptions,
): Uint8Array {
	if (!(revocation.shareId instanceof Uint8Array) || revocation.shareId.length !== SHARE_ID_BYTES) {
		throw new FormatError(`share id must be ${SHARE_ID_BYTES} bytes`);
	}
	const body = new ByteWriter()
		.u8(SHARE_REVOCATION_VERSION)
		.bytes(revocation.shareId)
		.u64(revocation.revokedAt)
		.finish();
	const signature = signer.sign(labelledMessage(SHARE_REVOCATION_LABEL, body), options);
	return concatBytes(body, signature.toBytes());
}

/** Parses a signed revocation WITHOUT checking its signature (to find the share it names). */
export function readShareRevocation(signed: Uint8Array): ShareRevocation {
	const { body } = splitSigned(signed, BODY_BYTES, "share revocation");
	const reader = new ByteReader(body, "share revocation");
	const version = reader.u8();
	if (version !== SHARE_REVOCATION_VERSION) {
		throw new UnsupportedVersionError(`share revocation version ${version} is not supported`);
	}
	const shareId = Uint8Array.from(reader.bytes(SHARE_ID_BYTES));
	const revokedAt = reader.u64();
	reader.end();
	return { shareId, revokedAt };
}

/**
 * Parses a signed revocation and checks it was signed by `verifyingPk` (the stored policy's).
 * Throws FormatError / UnsupportedVersionError (bytes) or SignatureError.
 */
export function verifyShareRevocation(
	signed: Uint8Array,
	verifyingPk: PublicKey,
	options?: UmbralOptions,
): ShareRevocation {
	const revocation = readShareRevocation(signed);
	const { body, signature } = splitSigned(signed, BODY_BYTES, "share revocation");
	if (!signature.verify(verifyingPk, labelledMessage(SHARE_REVOCATION_LABEL, body), options)) {
		throw new SignatureError("share revocation is not signed by the share's verifying key");
	}
	return revocation;
}
