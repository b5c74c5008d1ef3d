// Byte helpers shared by every format: concatenation, constant-time comparison, big-endian
// integers, UTF-8 ids and a strict reader that rejects short input and trailing bytes.
// Must never compare secrets with an early-exit loop, and never accept a non-canonical encoding.
// Hand-written because @noble's equivalents either are not constant time for unequal lengths
// or do not throw our typed FormatError.
import { FormatError } from "./errors";

/** Largest integer a u64 field may carry: sizes stay exact in a JS number. */
export const MAX_SAFE_U64 = Number.MAX_SAFE_INTEGER;

/** Ids (user, node, version, …) are 1..255 bytes of UTF-8 once encoded. */
export const MAX_ID_BYTES = 255;

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** Joins byte arrays into one new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
	let length = 0;
	for (const part of parts) length += part.length;
	const out = new Uint8Array(length);
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

/**
 * Compares two byte arrays in time that depends only on their lengths, never on where they
 * differ. Use it for every comparison of secrets, tags and commitments.
 * @example equalBytes(commitment, expected) // true or false
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
	return diff === 0;
}

/** UTF-8 encoding of a string. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
	return encoder.encode(text);
}

/** Strict UTF-8 decoding; malformed bytes throw FormatError. */
export function fromUtf8(bytes: Uint8Array, what = "text"): string {
	try {
		return strictDecoder.decode(bytes);
	} catch {
		throw new FormatError(`${what} is not valid UTF-8`);
	}
}

/**
 * Encodes an id as UTF-8 and checks it is 1..255 bytes. Strings with lone surrogates are refused:
 * UTF-8 would turn different ones into the same U+FFFD bytes, binding two ids identically.
 */
export function idBytes(id: string, what = "id"): Uint8Array<ArrayBuffer> {
	if (typeof id !== "string" || !id.isWellFormed()) {
		throw new FormatError(`${what} must be a well-formed string`);
	}
	const bytes = utf8(id);
	if (bytes.length === 0 || bytes.length > MAX_ID_BYTES) {
		throw new FormatError(`${what} must be 1 to ${MAX_ID_BYTES} bytes of UTF-8`);
	}
	return bytes;
}

/** 4-byte big-endian encoding of an integer in [0, 2^32). */
export function u32be(value: number): Uint8Array<ArrayBuffer> {
	if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
		throw new FormatError("value does not fit in an unsigned 32-bit field");
	}
	const out = new Uint8Array(4);
	new DataView(out.buffer).setUint32(0, value);
	return out;
}

/** 8-byte big-endian encoding of an integer in [0, 2^53). */
export function u64be(value: number): Uint8Array<ArrayBuffer> {
	if (!Number.isSafeInteger(value) || value < 0) {
		throw new FormatError("value does not fit in an unsigned 53-bit field");
	}
	const out = new Uint8Array(8);
	new DataView(out.buffer).setBigUint64(0, BigInt(value));
	return out;
}

/** Builds canonical byte strings field by field. */
export class ByteWriter {
	readonly #parts: Uint8Array[] = [];

	/** Appends raw bytes. */
	bytes(value: Uint8Array): this {
		this.#parts.push(value);
		return this;
	}

	/** Appends one byte. */
	u8(value: number): this {
		if (!Number.isInteger(value) || value < 0 || value > 0xff) {
			throw new FormatError("value does not fit in one byte");
		}
		this.#parts.push(Uint8Array.of(value));
		return this;
	}

	/** Appends a u32 big-endian. */
	u32(value: number): this {
		this.#parts.push(u32be(value));
		return this;
	}

	/** Appends a u64 big-endian (at most 2^53 − 1). */
	u64(value: number): this {
		this.#parts.push(u64be(value));
		return this;
	}

	/** Appends a 1-byte length then the bytes (1..255 bytes). */
	shortBytes(value: Uint8Array, what = "field"): this {
		if (value.length === 0 || value.length > 0xff) {
			throw new FormatError(`${what} must be 1 to 255 bytes`);
		}
		return this.u8(value.length).bytes(value);
	}

	/** The bytes written so far, as one array. */
	finish(): Uint8Array<ArrayBuffer> {
		return concatBytes(...this.#parts);
	}
}

/** Reads canonical byte strings; every shortfall or leftover byte is a FormatError. */
export class ByteReader {
	readonly #bytes: Uint8Array;
	#offset = 0;

	constructor(
		bytes: Uint8Array,
		private readonly what: string,
	) {
		this.#bytes = bytes;
	}

	/** Bytes consumed so far. */
	get offset(): number {
		return this.#offset;
	}

	/** Bytes not yet consumed. */
	get remaining(): number {
		return this.#bytes.length - this.#offset;
	}

	/** Takes exactly `length` bytes (a view, not a copy). */
	bytes(length: number): Uint8Array {
		if (this.remaining < length) throw new FormatError(`${this.what} is too short`);
		const out = this.#bytes.subarray(this.#offset, this.#offset + length);
		this.#offset += length;
		return out;
	}

	/** Takes one byte. */
	u8(): number {
		return this.bytes(1)[0] as number;
	}

	/** Takes a u32 big-endian. */
	u32(): number {
		const b = this.bytes(4);
		return new DataView(b.buffer, b.byteOffset, 4).getUint32(0);
	}

	/** Takes a u64 big-endian; values above 2^53 − 1 are rejected. */
	u64(): number {
		const b = this.bytes(8);
		const value = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
		if (value > BigInt(MAX_SAFE_U64)) throw new FormatError(`${this.what} has a size out of range`);
		return Number(value);
	}

	/** Takes a 1-byte length (1..255) and that many bytes. */
	shortBytes(): Uint8Array {
		const length = this.u8();
		if (length === 0) throw new FormatError(`${this.what} has an empty field`);
		return this.bytes(length);
	}

	/** Takes a 1-byte-length-prefixed UTF-8 id. */
	id(): string {
		return fromUtf8(this.shortBytes(), this.what);
	}

	/** Takes everything left. */
	rest(): Uint8Array {
		return this.bytes(this.remaining);
	}

	/** Asserts that nothing is left: canonical formats have no trailing bytes. */
	end(): void {
		if (this.remaining !== 0) throw new FormatError(`${this.what} has trailing bytes`);
	}
}
