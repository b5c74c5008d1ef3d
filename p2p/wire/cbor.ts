// The one wire encoding of Coffre (DESIGN §4): strict CBOR through cborg. Decoding refuses
// everything outside the deterministic subset we send (indefinite lengths, undefined, NaN,
// Infinity, big integers, duplicate map keys, non-minimal encodings), so one message has one
// byte form. It must never hand back a value that was not fully and strictly parsed.
import { decode, encode } from "cborg";

const STRICT_DECODE = {
	strict: true,
	rejectDuplicateMapKeys: true,
	allowIndefinite: false,
	allowUndefined: false,
	allowInfinity: false,
	allowNaN: false,
	allowBigInt: false,
	useMaps: false,
} as const;

/** A frame that is not one strict CBOR value. */
export class MalformedMessageError extends Error {
	override name = "MalformedMessageError";
}

/** Encodes a message (plain objects, arrays, strings, safe integers, booleans, bytes). */
export function encodeMessage(message: unknown): Uint8Array {
	// cborg may return a view into its reusable write buffer (a Buffer slice on Node) that the
	// next encode overwrites; messages outlive that (queued sends, signed bodies), so copy.
	return new Uint8Array(encode(message));
}

/** Decodes one strict CBOR value that fills `bytes` exactly, or throws MalformedMessageError. */
export function decodeMessage(bytes: Uint8Array): unknown {
	try {
		return decode(bytes, STRICT_DECODE);
	} catch (err) {
		throw new MalformedMessageError(`not a strict CBOR message: ${(err as Error).message}`);
	}
}
