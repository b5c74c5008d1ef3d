// User identities (DESIGN §3): an Ed25519 signing key and a secp256k1 encryption key (the Umbral
// receiving key), and the self-signed PublicIdentity that others pin. Must never accept an
// identity whose signature, version or encoding is off, and never put a secret in it.
//
// Signed PublicIdentity, version 1 (canonical: exact lengths, nothing after the signature):
//   offset   size  field
//   0        1     version = 0x01
//   1        1     L = user id length (1..255)
//   2        L     user id (UTF-8)
//   2+L      32    Ed25519 signing public key
//   34+L     33    secp256k1 encryption public key (SEC1 compressed)
//   67+L     8     created-at, milliseconds since the Unix epoch, u64 big-endian
//   75+L     64    Ed25519 signature, context "public-identity", over bytes [0, 75+L)
import { ByteReader, ByteWriter, fromUtf8, idBytes } from "./bytes";
import { FormatError, UnsupportedVersionError } from "./errors";
import type {
	EncryptionPublicKey,
	EncryptionSecretKey,
	SigningPublicKey,
	SigningSecretKey,
} from "./keys";
import {
	ENCRYPTION_PUBLIC_KEY_BYTES,
	encryptionPublicKeyFromBytes,
	encryptionPublicKeyOf,
	generateSecp256k1Key,
	generateSigningKey,
	SIGNING_PUBLIC_KEY_BYTES,
	signingPublicKeyFromBytes,
	signingPublicKeyOf,
} from "./keys";
import { assertSignature, SIGNATURE_BYTES, sign } from "./signing";

export const PUBLIC_IDENTITY_VERSION = 1;

declare const signedIdentityBrand: unique symbol;
/** The canonical bytes of a self-signed PublicIdentity. */
export type SignedPublicIdentity = Uint8Array<ArrayBuffer> & {
	readonly [signedIdentityBrand]: true;
};

/** A user's key pairs. The secret halves are branded keys that never print their bytes. */
export interface IdentityKeys {
	readonly signing: SigningSecretKey;
	readonly encryption: EncryptionSecretKey;
	readonly signingPublicKey: SigningPublicKey;
	readonly encryptionPublicKey: EncryptionPublicKey;
}

/** The public half of an identity, as decoded from a verified SignedPublicIdentity. */
export interface PublicIdentity {
	readonly userId: string;
	readonly signingPublicKey: SigningPublicKey;
	readonly encryptionPublicKey: EncryptionPublicKey;
	/** Milliseconds since the Unix epoch. */
	readonly createdAt: number;
}

/** Builds IdentityKeys from their two secret keys (public halves recomputed). */
export function identityKeysFromSecrets(
	signing: SigningSecretKey,
	encryption: EncryptionSecretKey,
): IdentityKeys {
	return Object.freeze({
		signing,
		encryption,
		signingPublicKey: signingPublicKeyOf(signing),
		encryptionPublicKey: encryptionPublicKeyOf(encryption),
	});
}

/**
 * Fresh identity keys from WebCrypto randomness.
 * @example const identity = generateIdentityKeys();
 */
export function generateIdentityKeys(): IdentityKeys {
	return identityKeysFromSecrets(generateSigningKey(), generateSecp256k1Key("EncryptionSecretKey"));
}

function unsignedBody(identity: PublicIdentity): Uint8Array {
	if (!Number.isSafeInteger(identity.createdAt) || identity.createdAt < 0) {
		throw new FormatError("createdAt must be milliseconds since the Unix epoch");
	}
	return new ByteWriter()
		.u8(PUBLIC_IDENTITY_VERSION)
		.shortBytes(idBytes(identity.userId, "user id"))
		.bytes(identity.signingPublicKey)
		.bytes(identity.encryptionPublicKey)
		.u64(identity.createdAt)
		.finish();
}

/**
 * Encodes and self-signs the public half of `keys` for `userId`.
 * @example const signed = signPublicIdentity(identity, { userId, createdAt: Date.now() });
 */
export function signPublicIdentity(
	keys: IdentityKeys,
	{ userId, createdAt }: { userId: string; createdAt: number },
): SignedPublicIdentity {
	const body = unsignedBody({
		userId,
		createdAt,
		signingPublicKey: keys.signingPublicKey,
		encryptionPublicKey: keys.encryptionPublicKey,
	});
	return new ByteWriter()
		.bytes(body)
		.bytes(sign(keys.signing, "public-identity", body))
		.finish() as SignedPublicIdentity;
}

/**
 * Decodes a SignedPublicIdentity and checks its self-signature. Throws FormatError,
 * UnsupportedVersionError, InvalidKeyError or SignatureError.
 */
export function verifyPublicIdentity(bytes: Uint8Array): PublicIdentity {
	if (!(bytes instanceof Uint8Array)) throw new FormatError("public identity must be bytes");
	const reader = new ByteReader(bytes, "public identity");
	const version = reader.u8();
	if (version !== PUBLIC_IDENTITY_VERSION) {
		throw new UnsupportedVersionError(`public identity version ${version} is not supported`);
	}
	const userId = fromUtf8(reader.shortBytes(), "user id");
	const signingPublicKey = signingPublicKeyFromBytes(reader.bytes(SIGNING_PUBLIC_KEY_BYTES));
	const encryptionPublicKey = encryptionPublicKeyFromBytes(
		reader.bytes(ENCRYPTION_PUBLIC_KEY_BYTES),
	);
	const createdAt = reader.u64();
	const bodyLength = reader.offset;
	const signature = reader.bytes(SIGNATURE_BYTES);
	reader.end();
	assertSignature(signingPublicKey, "public-identity", bytes.subarray(0, bodyLength), signature);
	return Object.freeze({ userId, signingPublicKey, encryptionPublicKey, createdAt });
}
