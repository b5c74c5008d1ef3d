// Proof that a browser holds a link's keys, sent with each request for the link's metadata
// versions and shards (the link page has no account). Layout:
//   version (1) ‖ issuedAt u64 ‖ linkId (short bytes)  ‖ Ed25519 signature (64) by the link's
//   requester key, context "link-access"
// The server checks it against the requesterPk in the link's signed policy and accepts it for
// five minutes around its clock: a stolen proof cannot outlive that, and never reveals the
// link's secret.
import { ByteReader, ByteWriter, concatBytes, idBytes } from "../bytes";
import { FormatError, SignatureError, UnsupportedVersionError } from "../errors";
import type { SigningPublicKey, SigningSecretKey } from "../keys";
import { sign, verifySignature } from "../signing";

export const LINK_ACCESS_VERSION = 1;
/** How far a proof's time may be from the server's clock. */
export const LINK_ACCESS_WINDOW_MS = 5 * 60_000;
/** Bytes of an Ed25519 signature. */
const SIGNATURE_BYTES = 64;
/** Longest encoded proof (an id of up to 64 bytes). */
export const MAX_LINK_ACCESS_BYTES = 1 + 8 + 1 + 64 + SIGNATURE_BYTES;

function body(linkId: string, issuedAt: number): Uint8Array {
	return new ByteWriter()
		.u8(LINK_ACCESS_VERSION)
		.u64(issuedAt)
		.shortBytes(idBytes(linkId, "link id"))
		.finish();
}

/**
 * Signs a proof of holding the link's requester key.
 * @example const proof = signLinkAccess(linkId, Date.now(), linkKeys.requester);
 */
export function signLinkAccess(
	linkId: string,
	issuedAt: number,
	requester: SigningSecretKey,
): Uint8Array {
	const message = body(linkId, issuedAt);
	return concatBytes(message, sign(requester, "link-access", message));
}

/**
 * Checks a proof for `linkId` against the link's requester key and the current time; throws
 * FormatError, UnsupportedVersionError or SignatureError.
 */
export function verifyLinkAccess(
	proof: Uint8Array,
	{ linkId, requesterPk, now }: { linkId: string; requesterPk: SigningPublicKey; now: number },
): void {
	if (!(proof instanceof Uint8Array) || proof.length > MAX_LINK_ACCESS_BYTES)
		throw new FormatError("link access proof is malformed");
	if (proof.length < SIGNATURE_BYTES + 10) throw new FormatError("link access proof is too short");
	const message = proof.subarray(0, proof.length - SIGNATURE_BYTES);
	const reader = new ByteReader(message, "link access proof");
	if (reader.u8() !== LINK_ACCESS_VERSION)
		throw new UnsupportedVersionError("unknown link access proof version");
	const issuedAt = reader.u64();
	const id = reader.id();
	reader.end();
	if (id !== linkId) throw new SignatureError("link access proof is for another link");
	if (Math.abs(now - issuedAt) > LINK_ACCESS_WINDOW_MS)
		throw new SignatureError("link access proof is too old or from the future");
	if (!verifySignature(requesterPk, "link-access", message, proof.subarray(message.length)))
		throw new SignatureError("link access proof does not verify");
}
