// The public encryption and decryption operations of Umbral: encrypt to a public key, open as
// the owner, open as the recipient of a delegation from verified capsule fragments. Never
// returns plaintext that did not authenticate; seeds are wiped after use.
import { Capsule, encapsulate, openOriginal } from "./capsule";
import type { VerifiedCapsuleFrag } from "./capsule-frag";
import { demDecrypt, demEncrypt } from "./dem";
import { UmbralParameterError } from "./errors";
import { PublicKey, SecretKey } from "./keys";
import { openReencrypted } from "./open-reencrypted";
import { resolveBackend, type UmbralOptions } from "./options";

function checkInputs(
	key: unknown,
	keyType: typeof SecretKey | typeof PublicKey,
	data: unknown,
): void {
	if (!(key instanceof keyType)) throw new UmbralParameterError(`expected a ${keyType.name}`);
	if (!(data instanceof Uint8Array)) throw new UmbralParameterError("expected bytes");
}

/**
 * Encrypts `plaintext` to `pk`: a fresh capsule and the DEM ciphertext (plaintext + 40 bytes).
 * @example
 * const { capsule, ciphertext } = encrypt(shareKey.publicKey(), nodeKeyBytes);
 */
export function encrypt(
	pk: PublicKey,
	plaintext: Uint8Array,
	options?: UmbralOptions,
): { capsule: Capsule; ciphertext: Uint8Array } {
	checkInputs(pk, PublicKey, plaintext);
	const { capsule, seed } = encapsulate(pk, resolveBackend(options));
	const ciphertext = demEncrypt(seed, plaintext, capsule.simpleBytes);
	seed.fill(0);
	return { capsule, ciphertext };
}

/**
 * Decrypts as the owner of the key the capsule was made for. Throws `DecryptionFailedError`.
 * @example
 * const plaintext = decryptOriginal(shareSk, capsule, ciphertext);
 */
export function decryptOriginal(
	sk: SecretKey,
	capsule: Capsule,
	ciphertext: Uint8Array,
	options?: UmbralOptions,
): Uint8Array {
	checkInputs(sk, SecretKey, ciphertext);
	if (!(capsule instanceof Capsule)) throw new UmbralParameterError("expected a Capsule");
	const seed = openOriginal(sk, capsule, resolveBackend(options));
	try {
		return demDecrypt(seed, ciphertext, capsule.simpleBytes);
	} finally {
		seed.fill(0);
	}
}

/**
 * Decrypts as the recipient of a delegation from `delegatingPk`, with at least threshold
 * verified capsule fragments of `capsule` from distinct proxies.
 * Throws `NoCapsuleFragsError`, `MismatchedCapsuleFragsError` (other capsule or delegation),
 * `RepeatedCapsuleFragsError`, `ThresholdNotMetError` (too few) or `DecryptionFailedError`.
 * @example
 * const plaintext = decryptReencrypted(recipientSk, sharePk, capsule, verifiedCFrags, ciphertext);
 */
export function decryptReencrypted(
	receivingSk: SecretKey,
	delegatingPk: PublicKey,
	capsule: Capsule,
	verifiedCFrags: readonly VerifiedCapsuleFrag[],
	ciphertext: Uint8Array,
	options?: UmbralOptions,
): Uint8Array {
	checkInputs(receivingSk, SecretKey, ciphertext);
	checkInputs(delegatingPk, PublicKey, ciphertext);
	if (!(capsule instanceof Capsule)) throw new UmbralParameterError("expected a Capsule");
	const seed = openReencrypted(
		receivingSk,
		delegatingPk,
		capsule,
		verifiedCFrags,
		resolveBackend(options),
	);
	try {
		return demDecrypt(seed, ciphertext, capsule.simpleBytes);
	} finally {
		seed.fill(0);
	}
}
