// The one signed layout of the sharing formats: a fixed-length body followed by a 64-byte Umbral
// ECDSA signature (shared/spec/umbral.md "Signatures") over a domain label ‖ the body, so a
// signature for one kind of document (a policy) never verifies as another (a revocation).
// Never hands out a body whose signature bytes were not at least strictly parsed.
import { concatBytes, utf8 } from "../bytes";
import { FormatError, SignatureError } from "../errors";
import { Signature } from "../umbral";

/** Bytes of an Umbral ECDSA signature (r ‖ s). */
export const UMBRAL_SIGNATURE_BYTES = 64;

/** What the signature covers: the label's UTF-8 bytes ‖ the body. */
export function labelledMessage(label: string, body: Uint8Array): Uint8Array {
	return concatBytes(utf8(label), body);
}

/**
 * Splits `signed` (exactly `bodyBytes` + 64 bytes) into body and signature. Wrong lengths are a
 * FormatError; signature bytes that are not canonical (high S, out of range) a SignatureError.
 */
export function splitSigned(
	signed: Uint8Array,
	bodyBytes: number,
	what: string,
): { body: Uint8Array; signature: Signature } {
	if (!(signed instanceof Uint8Array) || signed.length !== bodyBytes + UMBRAL_SIGNATURE_BYTES) {
		throw new FormatError(`${what} must be exactly ${bodyBytes + UMBRAL_SIGNATURE_BYTES} bytes`);
	}
	const body = signed.subarray(0, bodyBytes);
	try {
		return { body, signature: Signature.fromBytes(signed.subarray(bodyBytes)) };
	} catch {
		throw new SignatureError(`${what} signature is not a canonical ECDSA signature`);
	}
}
