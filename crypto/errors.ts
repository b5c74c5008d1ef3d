// Typed errors of the crypto core. Every failure a caller may need to tell apart has its own
// class with `name` set (tests and the edge map errors by `name`). Messages say what went wrong
// in words a user can act on; they never contain key bytes, plaintext or other secrets.

/** Base class of every error thrown by `crypto/`. */
export class CoffreCryptoError extends Error {
	override name = "CoffreCryptoError";
}

/** Bytes were changed, forged, or opened under the wrong key, purpose or ids. */
export class IntegrityError extends CoffreCryptoError {
	override name = "IntegrityError";
}

/** The key commitment does not match: wrong key, or the commitment or nonce was altered. */
export class KeyCommitmentError extends IntegrityError {
	override name = "KeyCommitmentError";
}

/** A signature does not verify under the given public key and context. */
export class SignatureError extends IntegrityError {
	override name = "SignatureError";
}

/** A sealed stream ended before its last chunk (truncation, or the last chunk was dropped). */
export class TruncatedStreamError extends IntegrityError {
	override name = "TruncatedStreamError";
}

/** A sealed stream carried bytes after its last chunk (extension). */
export class TrailingDataError extends IntegrityError {
	override name = "TrailingDataError";
}

/** Bytes or values that are not in the canonical format (lengths, encodings, ranges). */
export class FormatError extends CoffreCryptoError {
	override name = "FormatError";
}

/** A format version byte this build does not accept (no silent downgrade, DESIGN §9.9). */
export class UnsupportedVersionError extends FormatError {
	override name = "UnsupportedVersionError";
}

/** An operation that would weaken the crypto if allowed, e.g. sealing one stream chunk twice (GCM nonce reuse). */
export class MisuseError extends CoffreCryptoError {
	override name = "MisuseError";
}

/** Key material of the wrong length, or not a valid scalar or point for its curve. */
export class InvalidKeyError extends CoffreCryptoError {
	override name = "InvalidKeyError";
}
