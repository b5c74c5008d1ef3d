// Branded key types for every key of DESIGN §3, so one key can never be passed where another is
// expected, plus branded public keys. Secret keys live in a class whose bytes sit in a private
// field: `toString`, `JSON.stringify` and Node's `inspect` show only the kind, never the bytes.
// Must never expose secret bytes except through the explicit `exportBytes()`.
import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { InvalidKeyError } from "./errors";
import { randomBytes } from "./random";

/** 32-byte symmetric keys (DESIGN §3). `PassphraseKey` is the Argon2id output for authenticators without PRF. */
export type SymmetricKeyKind =
	| "AccountKey"
	| "PasskeyKey"
	| "RecoveryKey"
	| "PassphraseKey"
	| "VaultKey"
	| "NodeKey"
	| "ContentKey";

/** secp256k1 secret scalars: the Umbral delegating `ShareKey` and the identity encryption key. */
export type Secp256k1KeyKind = "ShareKey" | "EncryptionSecretKey";

/** Every kind of secret key. `SigningSecretKey` is an Ed25519 seed (RFC 8032). */
export type SecretKeyKind = SymmetricKeyKind | Secp256k1KeyKind | "SigningSecretKey";

/** Symmetric keys that are made from fresh randomness (the others are derived). */
export type RandomKeyKind = "AccountKey" | "RecoveryKey" | "VaultKey" | "NodeKey";

/** Every secret key is exactly 32 bytes. */
export const SECRET_KEY_BYTES = 32;

const constructing = Symbol("SecretKey.construct");
const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * A secret key of one kind. Two kinds are distinct types: a `NodeKey` is not an `AccountKey`.
 * Create one with `generateKey`, `importSecretKey` or the derivation and unwrap functions.
 */
export class SecretKey<K extends SecretKeyKind> {
	readonly kind: K;
	readonly #bytes: Uint8Array;
	#wiped = false;

	/** @internal Use `importSecretKey` or `generateKey`. */
	constructor(token: typeof constructing, kind: K, bytes: Uint8Array) {
		if (token !== constructing) throw new TypeError("use importSecretKey or generateKey");
		this.kind = kind;
		this.#bytes = bytes;
	}

	/** A copy of the secret bytes. Only for sealing, wrapping or handing to a primitive. */
	exportBytes(): Uint8Array<ArrayBuffer> {
		if (this.#wiped) throw new InvalidKeyError(`this ${this.kind} was wiped`);
		return Uint8Array.from(this.#bytes);
	}

	/** Overwrites the key bytes with zeros; any later use throws InvalidKeyError. */
	wipe(): void {
		this.#bytes.fill(0);
		this.#wiped = true;
	}

	toString(): string {
		return `[${this.kind}]`;
	}

	toJSON(): string {
		return `[${this.kind}]`;
	}

	[inspectSymbol](): string {
		return `[${this.kind}]`;
	}
}

export type AccountKey = SecretKey<"AccountKey">;
export type PasskeyKey = SecretKey<"PasskeyKey">;
export type RecoveryKey = SecretKey<"RecoveryKey">;
export type PassphraseKey = SecretKey<"PassphraseKey">;
export type VaultKey = SecretKey<"VaultKey">;
export type NodeKey = SecretKey<"NodeKey">;
export type ContentKey = SecretKey<"ContentKey">;
export type ShareKey = SecretKey<"ShareKey">;
export type EncryptionSecretKey = SecretKey<"EncryptionSecretKey">;
export type SigningSecretKey = SecretKey<"SigningSecretKey">;

function isSecp256k1Kind(kind: SecretKeyKind): kind is Secp256k1KeyKind {
	return kind === "ShareKey" || kind === "EncryptionSecretKey";
}

/**
 * Wraps 32 bytes as a key of `kind` (copied). secp256k1 kinds must be a valid scalar (1..n−1).
 * @example const recoveryKey = importSecretKey("RecoveryKey", bytesFromRecoveryKit);
 */
export function importSecretKey<K extends SecretKeyKind>(kind: K, bytes: Uint8Array): SecretKey<K> {
	if (!(bytes instanceof Uint8Array) || bytes.length !== SECRET_KEY_BYTES) {
		throw new InvalidKeyError(`${kind} must be exactly ${SECRET_KEY_BYTES} bytes`);
	}
	if (isSecp256k1Kind(kind) && !secp256k1.utils.isValidSecretKey(bytes)) {
		throw new InvalidKeyError(`${kind} is not a valid secp256k1 secret key`);
	}
	return new SecretKey(constructing, kind, Uint8Array.from(bytes));
}

/**
 * A fresh random key from WebCrypto `getRandomValues`.
 * @example const nodeKey = generateKey("NodeKey");
 */
export function generateKey<K extends RandomKeyKind>(kind: K): SecretKey<K> {
	return new SecretKey(constructing, kind, randomBytes(SECRET_KEY_BYTES));
}

/** A fresh secp256k1 scalar for a `ShareKey` or an identity `EncryptionSecretKey`. */
export function generateSecp256k1Key<K extends Secp256k1KeyKind>(kind: K): SecretKey<K> {
	return new SecretKey(constructing, kind, secp256k1.utils.randomSecretKey());
}

/** A fresh Ed25519 seed. */
export function generateSigningKey(): SigningSecretKey {
	return new SecretKey(constructing, "SigningSecretKey", randomBytes(SECRET_KEY_BYTES));
}

declare const publicKeyBrand: unique symbol;

/** Public key bytes branded with their kind (public, so plain bytes are fine to show). */
export type PublicKeyBytes<K extends string> = Uint8Array<ArrayBuffer> & {
	readonly [publicKeyBrand]: K;
};
/** Ed25519 public key, 32 bytes (RFC 8032 §5.1.5). */
export type SigningPublicKey = PublicKeyBytes<"SigningPublicKey">;
/** secp256k1 public key, 33 bytes SEC1-compressed (the Umbral byte format). */
export type EncryptionPublicKey = PublicKeyBytes<"EncryptionPublicKey">;

export const SIGNING_PUBLIC_KEY_BYTES = 32;
export const ENCRYPTION_PUBLIC_KEY_BYTES = 33;

/**
 * Checks and brands an Ed25519 public key: 32 bytes, a canonical point encoding, and not of
 * small order (a small-order key admits signatures that verify for many messages).
 */
export function signingPublicKeyFromBytes(bytes: Uint8Array): SigningPublicKey {
	if (
		!(bytes instanceof Uint8Array) ||
		bytes.length !== SIGNING_PUBLIC_KEY_BYTES ||
		!ed25519.utils.isValidPublicKey(bytes, false) ||
		ed25519.Point.fromBytes(bytes, false).isSmallOrder()
	) {
		throw new InvalidKeyError("not a valid Ed25519 public key");
	}
	return Uint8Array.from(bytes) as SigningPublicKey;
}

/** Checks and brands a secp256k1 public key (33 bytes compressed, on the curve). */
export function encryptionPublicKeyFromBytes(bytes: Uint8Array): EncryptionPublicKey {
	if (
		!(bytes instanceof Uint8Array) ||
		bytes.length !== ENCRYPTION_PUBLIC_KEY_BYTES ||
		!secp256k1.utils.isValidPublicKey(bytes, true)
	) {
		throw new InvalidKeyError("not a valid compressed secp256k1 public key");
	}
	return Uint8Array.from(bytes) as EncryptionPublicKey;
}

/** The Ed25519 public key of a signing key. */
export function signingPublicKeyOf(key: SigningSecretKey): SigningPublicKey {
	return ed25519.getPublicKey(key.exportBytes()) as SigningPublicKey;
}

/** The compressed secp256k1 public key of a `ShareKey` or `EncryptionSecretKey`. */
export function encryptionPublicKeyOf(key: SecretKey<Secp256k1KeyKind>): EncryptionPublicKey {
	return secp256k1.getPublicKey(key.exportBytes(), true) as EncryptionPublicKey;
}
