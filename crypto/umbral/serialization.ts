// The fixed MessagePack layouts rust-umbral 0.10 writes with rmp-serde (spec "Serialized
// forms"): fixarray headers, bin8 byte fields, c2/c3 booleans. Hand-written because only
// these exact canonical layouts are accepted — a general MessagePack decoder would accept
// bin16, maps and trailing bytes. Must never accept anything but the one canonical form.
import { UmbralFormatError } from "./errors";

const BIN8 = 0xc4;
const FALSE = 0xc2;
const TRUE = 0xc3;

/** Builds a canonical serialization. */
export class MsgpackWriter {
	readonly #chunks: Uint8Array[] = [];
	#length = 0;

	#push(chunk: Uint8Array): this {
		this.#chunks.push(chunk);
		this.#length += chunk.length;
		return this;
	}

	/** A fixarray header for `count` (< 16) fields. */
	array(count: number): this {
		return this.#push(Uint8Array.of(0x90 | count));
	}

	/** A bin8 byte string (< 256 bytes). */
	bin(bytes: Uint8Array): this {
		this.#push(Uint8Array.of(BIN8, bytes.length));
		return this.#push(bytes);
	}

	bool(value: boolean): this {
		return this.#push(Uint8Array.of(value ? TRUE : FALSE));
	}

	finish(): Uint8Array {
		const out = new Uint8Array(this.#length);
		let offset = 0;
		for (const chunk of this.#chunks) {
			out.set(chunk, offset);
			offset += chunk.length;
		}
		return out;
	}
}

/** Reads a canonical serialization of one object, refusing any deviation. */
export class MsgpackReader {
	readonly #bytes: Uint8Array;
	readonly #what: string;
	#offset = 0;

	/** `expectedLength` is the exact size of the object (trailing or missing bytes fail). */
	constructor(bytes: Uint8Array, expectedLength: number, what: string) {
		if (!(bytes instanceof Uint8Array)) throw new UmbralFormatError(`${what}: expected bytes`);
		if (bytes.length !== expectedLength) {
			throw new UmbralFormatError(`${what}: expected ${expectedLength} bytes, got ${bytes.length}`);
		}
		this.#bytes = bytes;
		this.#what = what;
	}

	#byte(): number {
		const value = this.#bytes[this.#offset];
		if (value === undefined) throw new UmbralFormatError(`${this.#what}: truncated`);
		this.#offset += 1;
		return value;
	}

	/** Expects a fixarray header of exactly `count` fields. */
	array(count: number): void {
		if (this.#byte() !== (0x90 | count)) {
			throw new UmbralFormatError(`${this.#what}: expected an array of ${count} fields`);
		}
	}

	/** Expects a bin8 field of exactly `length` bytes and returns a copy of its content. */
	bin(length: number): Uint8Array {
		if (this.#byte() !== BIN8 || this.#byte() !== length) {
			throw new UmbralFormatError(`${this.#what}: expected a ${length}-byte bin8 field`);
		}
		const start = this.#offset;
		this.#offset += length;
		if (this.#offset > this.#bytes.length) throw new UmbralFormatError(`${this.#what}: truncated`);
		return this.#bytes.slice(start, this.#offset);
	}

	bool(): boolean {
		const value = this.#byte();
		if (value === TRUE) return true;
		if (value === FALSE) return false;
		throw new UmbralFormatError(`${this.#what}: expected a boolean`);
	}

	/** Asserts that every byte was consumed. */
	end(): void {
		if (this.#offset !== this.#bytes.length) {
			throw new UmbralFormatError(`${this.#what}: trailing bytes`);
		}
	}
}
