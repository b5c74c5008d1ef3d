// Deterministic derivation of Umbral keys and secrets from one 32-byte seed (spec
// "SecretKeyFactory"), byte-exact with rust-umbral 0.10: HKDF-SHA256 without salt, info
// KEY_DERIVATION/…, SECRET_DERIVATION/…, FACTORY_DERIVATION/… followed by the label.
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { UmbralFormatError, UmbralParameterError } from "./errors";
import { hashToNonZeroScalar } from "./hash-to-scalar";
import { SecretKey } from "./keys";

/** Size of a factory seed. */
export const SEED_SIZE = 32;

/** Longest label accepted (an input bound). */
export const MAX_LABEL_SIZE = 4096;

const KEY_INFO = utf8ToBytes("KEY_DERIVATION/");
const SECRET_INFO = utf8ToBytes("SECRET_DERIVATION/");
const FACTORY_INFO = utf8ToBytes("FACTORY_DERIVATION/");

function info(prefix: Uint8Array, label: Uint8Array): Uint8Array {
	if (!(label instanceof Uint8Array) || label.length > MAX_LABEL_SIZE) {
		throw new UmbralParameterError(`label must be bytes, at most ${MAX_LABEL_SIZE}`);
	}
	const out = new Uint8Array(prefix.length + label.length);
	out.set(prefix);
	out.set(label, prefix.length);
	return out;
}

/**
 * Derives secret keys, secrets and sub-factories from a 32-byte seed (handle as a secret).
 * @example
 * const sk = SecretKeyFactory.fromSecureRandomness(seed).makeKey(utf8ToBytes("share/123"));
 */
export class SecretKeyFactory {
	readonly #seed: Uint8Array;

	private constructor(seed: Uint8Array) {
		this.#seed = seed;
	}

	/** A factory with a fresh random seed. */
	static random(): SecretKeyFactory {
		return new SecretKeyFactory(randomBytes(SEED_SIZE));
	}

	/** A factory from 32 uniformly random bytes (copied). */
	static fromSecureRandomness(seed: Uint8Array): SecretKeyFactory {
		if (!(seed instanceof Uint8Array) || seed.length !== SEED_SIZE) {
			throw new UmbralFormatError("secret key factory seed: expected 32 bytes");
		}
		return new SecretKeyFactory(Uint8Array.from(seed));
	}

	/** Same as `fromSecureRandomness` (the serialized form is the seed). */
	static fromBytes(seed: Uint8Array): SecretKeyFactory {
		return SecretKeyFactory.fromSecureRandomness(seed);
	}

	/** The 32-byte seed (handle as a secret). */
	toBytes(): Uint8Array {
		return Uint8Array.from(this.#seed);
	}

	/** sk = H_info(HKDF(seed, info = "KEY_DERIVATION/" ‖ label, 64 bytes)). */
	makeKey(label: Uint8Array): SecretKey {
		const keyInfo = info(KEY_INFO, label);
		const okm = hkdf(sha256, this.#seed, undefined, keyInfo, 64);
		const scalar = hashToNonZeroScalar(keyInfo, [okm]);
		okm.fill(0);
		return SecretKey.fromScalar(scalar);
	}

	/** HKDF(seed, info = "SECRET_DERIVATION/" ‖ label, 64 bytes). */
	makeSecret(label: Uint8Array): Uint8Array {
		return hkdf(sha256, this.#seed, undefined, info(SECRET_INFO, label), 64);
	}

	/** A factory seeded with HKDF(seed, info = "FACTORY_DERIVATION/" ‖ label, 32 bytes). */
	makeFactory(label: Uint8Array): SecretKeyFactory {
		return new SecretKeyFactory(
			hkdf(sha256, this.#seed, undefined, info(FACTORY_INFO, label), SEED_SIZE),
		);
	}

	toString(): string {
		return "SecretKeyFactory:…";
	}
}
