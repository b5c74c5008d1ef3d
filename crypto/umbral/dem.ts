// Umbral's data encapsulation (spec "Encapsulation"): key = HKDF-SHA256(seed, no salt, empty
// info, 32 bytes); XChaCha20-Poly1305 with a random 24-byte nonce and the capsule's simple
// bytes as AAD; output nonce ‖ ciphertext ‖ tag. Never returns unauthenticated plaintext.
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { DecryptionFailedError } from "./errors";

const NONCE_SIZE = 24;
const TAG_SIZE = 16;

/** Bytes a DEM ciphertext adds to its plaintext (nonce and tag). */
export const DEM_OVERHEAD = NONCE_SIZE + TAG_SIZE;

/** The 32-byte DEM key for a capsule's shared seed (compressed point bytes). */
export function demKey(seed: Uint8Array): Uint8Array {
	return hkdf(sha256, seed, undefined, new Uint8Array(0), 32);
}

/** Seals `plaintext` under the seed's key, binding `aad` (the capsule simple bytes). */
export function demEncrypt(seed: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
	const key = demKey(seed);
	const nonce = randomBytes(NONCE_SIZE);
	const sealed = xchacha20poly1305(key, nonce, aad).encrypt(plaintext);
	key.fill(0);
	const out = new Uint8Array(NONCE_SIZE + sealed.length);
	out.set(nonce);
	out.set(sealed, NONCE_SIZE);
	return out;
}

/** Opens a DEM ciphertext; throws `DecryptionFailedError` when it does not authenticate. */
export function demDecrypt(seed: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Uint8Array {
	if (!(ciphertext instanceof Uint8Array) || ciphertext.length < DEM_OVERHEAD) {
		throw new DecryptionFailedError("ciphertext too short");
	}
	const key = demKey(seed);
	try {
		return xchacha20poly1305(key, ciphertext.subarray(0, NONCE_SIZE), aad).decrypt(
			ciphertext.subarray(NONCE_SIZE),
		);
	} catch {
		throw new DecryptionFailedError("ciphertext does not authenticate under this capsule");
	} finally {
		key.fill(0);
	}
}
