// ECDSA over secp256k1 as Umbral uses it (spec "Notation"): SHA-256 prehash, RFC 6979 nonces
// with extra entropy, low-S, 64-byte r ‖ s. Parsing and verification are strict: r, s in
// [1, n) and s <= n/2, so a signature has exactly one accepted encoding.
import { bytesToNumberBE, equalBytes } from "@noble/curves/utils.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { CURVE_ORDER } from "./curve";
import { UmbralFormatError } from "./errors";
import { type PublicKey, SecretKey } from "./keys";
import { resolveBackend, type UmbralOptions } from "./options";

/** Length of a serialized signature (r ‖ s). */
export const SIGNATURE_SIZE = 64;

const HALF_ORDER = CURVE_ORDER >> 1n;

/**
 * A low-S ECDSA signature, 64 bytes r ‖ s.
 * @example
 * const ok = Signature.fromBytes(bytes).verify(verifyingPk, message);
 */
export class Signature {
	readonly #bytes: Uint8Array;

	private constructor(bytes: Uint8Array) {
		this.#bytes = bytes;
	}

	/** Parses r ‖ s; rejects other lengths, r or s outside [1, n), and high S. */
	static fromBytes(bytes: Uint8Array): Signature {
		if (bytes.length !== SIGNATURE_SIZE) {
			throw new UmbralFormatError("signature: expected 64 bytes");
		}
		const r = bytesToNumberBE(bytes.subarray(0, 32));
		const s = bytesToNumberBE(bytes.subarray(32, 64));
		if (r === 0n || r >= CURVE_ORDER || s === 0n || s >= CURVE_ORDER) {
			throw new UmbralFormatError("signature: r or s out of range");
		}
		if (s > HALF_ORDER) throw new UmbralFormatError("signature: high S (non-canonical)");
		return new Signature(Uint8Array.from(bytes));
	}

	/** The 64 bytes r ‖ s. */
	toBytes(): Uint8Array {
		return Uint8Array.from(this.#bytes);
	}

	/** @internal The bytes without copying (do not mutate). */
	get bytes(): Uint8Array {
		return this.#bytes;
	}

	/** True when this signs SHA-256(message) under `verifyingPk`. */
	verify(verifyingPk: PublicKey, message: Uint8Array, options?: UmbralOptions): boolean {
		return resolveBackend(options).verifyPrehash(this.#bytes, sha256(message), verifyingPk.bytes);
	}

	equals(other: Signature): boolean {
		return equalBytes(this.#bytes, other.#bytes);
	}
}

/**
 * Signs messages with one secret key (the kfrag signer of `generateKFrags`).
 * @example
 * const signer = new Signer(SecretKey.random());
 * const signature = signer.sign(message);
 */
export class Signer {
	readonly #secretKey: SecretKey;
	readonly #verifyingKey: PublicKey;
	readonly #options: UmbralOptions | undefined;

	/** `options.backend` is used for every signature this signer makes. */
	constructor(secretKey: SecretKey, options?: UmbralOptions) {
		if (!(secretKey instanceof SecretKey)) throw new TypeError("Signer needs a SecretKey");
		this.#secretKey = secretKey;
		this.#options = options;
		this.#verifyingKey = secretKey.publicKey(options);
	}

	/** ECDSA signature of SHA-256(message). */
	sign(message: Uint8Array, options: UmbralOptions | undefined = this.#options): Signature {
		const backend = resolveBackend(options);
		return Signature.fromBytes(backend.signPrehash(sha256(message), this.#secretKey.toBytes()));
	}

	/** The public key that verifies this signer's signatures. */
	verifyingKey(): PublicKey {
		return this.#verifyingKey;
	}

	toString(): string {
		return "Signer:…";
	}
}
