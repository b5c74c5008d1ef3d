// Strict base64url (RFC 4648 §5) for bytes in JSON and URLs: no padding, no whitespace, only the
// URL-safe alphabet, and the unused low bits of the last character must be zero, so every byte
// string has exactly one encoding. Must never accept standard base64 (`+`, `/`) or `=`.
// Hand-written because @noble/* ships no base64url and crypto/ may import nothing else.
import { FormatError } from "./errors";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/**
 * Encodes bytes as unpadded base64url.
 * @example toBase64url(new Uint8Array([0xfb, 0xff])) // "-_8"
 */
export function toBase64url(bytes: Uint8Array): string {
	let out = "";
	let i = 0;
	for (; i + 3 <= bytes.length; i += 3) {
		const n =
			((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
		out +=
			ALPHABET[n >>> 18]! +
			ALPHABET[(n >>> 12) & 63]! +
			ALPHABET[(n >>> 6) & 63]! +
			ALPHABET[n & 63]!;
	}
	const left = bytes.length - i;
	if (left === 1) {
		const n = (bytes[i] as number) << 16;
		out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!;
	} else if (left === 2) {
		const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
		out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]!;
	}
	return out;
}

function sextet(text: string, index: number): number {
	const code = text.charCodeAt(index);
	const value = code < 128 ? (LOOKUP[code] as number) : -1;
	if (value < 0) throw new FormatError("base64url text has a character outside its alphabet");
	return value;
}

/**
 * Decodes unpadded base64url; anything non-canonical throws FormatError.
 * @example fromBase64url("-_8") // Uint8Array [0xfb, 0xff]
 */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
	if (typeof text !== "string") throw new FormatError("base64url input must be a string");
	if (text.length % 4 === 1) throw new FormatError("base64url text has an impossible length");
	const out = new Uint8Array(Math.floor((text.length * 3) / 4));
	let o = 0;
	let i = 0;
	for (; i + 4 <= text.length; i += 4) {
		const n =
			(sextet(text, i) << 18) |
			(sextet(text, i + 1) << 12) |
			(sextet(text, i + 2) << 6) |
			sextet(text, i + 3);
		out[o++] = n >>> 16;
		out[o++] = (n >>> 8) & 0xff;
		out[o++] = n & 0xff;
	}
	const left = text.length - i;
	if (left === 2) {
		const n = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12);
		if (n & 0xffff) throw new FormatError("base64url text is not canonical");
		out[o++] = n >>> 16;
	} else if (left === 3) {
		const n = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (sextet(text, i + 2) << 6);
		if (n & 0xff) throw new FormatError("base64url text is not canonical");
		out[o++] = n >>> 16;
		out[o++] = (n >>> 8) & 0xff;
	}
	return out;
}
