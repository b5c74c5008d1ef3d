// A re-encryption request (DESIGN §7): the recipient (or a link holder) asks ONE proxy for a
// capsule fragment of one share. Layout:
//   version (1) ‖ shareId (16) ‖ capsule (105, Umbral canonical form) ‖
//   proxy peer id (1-byte length ‖ UTF-8) ‖ issuedAt u64 ‖ nonce (16)
// then a 64-byte Ed25519 signature (crypto/signing, context "cfrag-request") by the policy's
// requesterPk. Naming the proxy means a request for one proxy cannot be replayed to another;
// issuedAt and the nonce let the proxy refuse stale and repeated requests.
// It never signs or accepts a request without all of these.
import { ByteReader, ByteWriter, concatBytes, idBytes } from "../bytes";
import { FormatError, SignatureError, UnsupportedVersionError } from "../errors";
import type { SigningPublicKey, SigningSecretKey } from "../keys";
import { randomBytes } from "../random";
import { SIGNATURE_BYTES, sign, verifySignature } from "../signing";
import { SHARE_ID_BYTES } from "./share-policy";

export const REENCRYPT_REQUEST_VERSION = 1;
/** Bytes of the request nonce. */
export const REQUEST_NONCE_BYTES = 16;
/** Bytes of an Umbral capsule's canonical form. */
export const CAPSULE_BYTES = 105;
/** Largest signed request: a 255-byte proxy id. */
export const MAX_REENCRYPT_REQUEST_BYTES =
	1 + SHARE_ID_BYTES + CAPSULE_BYTES + 1 + 255 + 8 + REQUEST_NONCE_BYTES + SIGNATURE_BYTES;

/** Signature context of requests (crypto/signing SIGNATURE_CONTEXTS). */
const CONTEXT = "cfrag-request";

/** One request for a capsule fragment. */
export interface ReencryptRequest {
	shareId: Uint8Array;
	/** The capsule's canonical 105 bytes (its SHA-256 must be the policy's capsuleHash). */
	capsule: Uint8Array;
	/** Peer id (string form) of the one proxy this request is for. */
	proxy: string;
	/** When the request was made, ms since the epoch. */
	issuedAt: number;
	/** 16 fresh random bytes. */
	nonce: Uint8Array;
}

function encodeBody(request: ReencryptRequest): Uint8Array {
	const fixed = (value: unknown, length: number, what: string) => {
		if (!(value instanceof Uint8Array) || value.length !== length) {
			throw new FormatError(`${what} must be ${length} bytes`);
		}
	};
	fixed(request.shareId, SHARE_ID_BYTES, "share id");
	fixed(request.capsule, CAPSULE_BYTES, "capsule");
	fixed(request.nonce, REQUEST_NONCE_BYTES, "nonce");
	return new ByteWriter()
		.u8(REENCRYPT_REQUEST_VERSION)
		.bytes(request.shareId)
		.bytes(request.capsule)
		.shortBytes(idBytes(request.proxy, "proxy peer id"))
		.u64(request.issuedAt)
		.bytes(request.nonce)
		.finish();
}

/**
 * Signs a request with the requester's Ed25519 key; a fresh nonce is drawn when none is given.
 * @example const signedRequest = signReencryptRequest({ shareId, capsule, proxy, issuedAt: Date.now() }, requesterKey);
 */
export function signReencryptRequest(
	request: Omit<ReencryptRequest, "nonce"> & { nonce?: Uint8Array },
	requesterKey: SigningSecretKey,
): Uint8Array {
	const body = encodeBody({ ...request, nonce: request.nonce ?? randomBytes(REQUEST_NONCE_BYTES) });
	return concatBytes(body, sign(requesterKey, CONTEXT, body));
}

/** Parses a signed request WITHOUT checking its signature (to find the share it names). */
export function readReencryptRequest(signed: Uint8Array): ReencryptRequest {
	if (!(signed instanceof Uint8Array) || signed.length > MAX_REENCRYPT_REQUEST_BYTES) {
		throw new FormatError("re-encryption request is too long");
	}
	const reader = new ByteReader(signed, "re-encryption request");
	const version = reader.u8();
	if (version !== REENCRYPT_REQUEST_VERSION) {
		throw new UnsupportedVersionError(`re-encryption request version ${version} is not supported`);
	}
	const shareId = Uint8Array.from(reader.bytes(SHARE_ID_BYTES));
	const capsule = Uint8Array.from(reader.bytes(CAPSULE_BYTES));
	const proxy = reader.id();
	const issuedAt = reader.u64();
	const nonce = Uint8Array.from(reader.bytes(REQUEST_NONCE_BYTES));
	reader.bytes(SIGNATURE_BYTES);
	reader.end();
	return { shareId, capsule, proxy, issuedAt, nonce };
}

/**
 * Parses a signed request and checks its signature by `requesterPk` (the policy's). Throws
 * FormatError / UnsupportedVersionError (bytes) or SignatureError.
 */
export function verifyReencryptRequest(
	signed: Uint8Array,
	requesterPk: SigningPublicKey,
): ReencryptRequest {
	const request = readReencryptRequest(signed);
	const bodyLength = signed.length - SIGNATURE_BYTES;
	const body = signed.subarray(0, bodyLength);
	if (!verifySignature(requesterPk, CONTEXT, body, signed.subarray(bodyLength))) {
		throw new SignatureError("re-encryption request is not signed by the share's requester key");
	}
	return request;
}
