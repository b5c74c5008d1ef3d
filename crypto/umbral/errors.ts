// Typed errors of the Umbral implementation. Tests and callers branch on `name`; messages
// say what failed and never carry key, scalar, seed or plaintext bytes.

/** Base class of every Umbral failure. */
export class UmbralError extends Error {
	override name = "UmbralError";
}

/** Bytes are not the canonical serialized form (length, tag, point, scalar or signature). */
export class UmbralFormatError extends UmbralError {
	override name = "UmbralFormatError";
}

/** A caller-supplied parameter is out of range (threshold, shares, label length, backend). */
export class UmbralParameterError extends UmbralError {
	override name = "UmbralParameterError";
}

/** A capsule, key fragment or capsule fragment failed its signature or proof check. */
export class UmbralVerificationError extends UmbralError {
	override name = "UmbralVerificationError";
}

/** `decryptReencrypted` was given no capsule fragments. */
export class NoCapsuleFragsError extends UmbralError {
	override name = "NoCapsuleFragsError";
}

/**
 * The capsule fragments do not belong together: they come from different delegations
 * (different precursor X) or were verified for another capsule.
 */
export class MismatchedCapsuleFragsError extends UmbralError {
	override name = "MismatchedCapsuleFragsError";
}

/** Two capsule fragments come from the same key fragment. */
export class RepeatedCapsuleFragsError extends UmbralError {
	override name = "RepeatedCapsuleFragsError";
}

/**
 * Verified, consistent capsule fragments did not open the capsule: fewer than the
 * threshold were given.
 */
export class ThresholdNotMetError extends UmbralError {
	override name = "ThresholdNotMetError";
}

/** The DEM ciphertext did not authenticate under the capsule's key (or is malformed). */
export class DecryptionFailedError extends UmbralError {
	override name = "DecryptionFailedError";
}
