// A key fragment sealed to ONE proxy node (DESIGN §7): the server relays it but cannot read it,
// and the node keeps it sealed on disk. Built from Umbral's own public-key encryption (no new
// primitive): `encrypt(proxyEncryptionPk, kfragBytes)`. Fixed layout
//   version (1) ‖ capsule (105) ‖ ciphertext (310-byte kfrag + 40 = 350)   = 456 bytes.
// Opening checks the layout, decrypts with the proxy's secp256k1 key, parses the kfrag
// strictly and verifies it against the policy's verifying, delegating AND receiving keys; a
// kfrag that does not sign both keys is refused, so one made for another delegator or
// recipient can never pass. It never returns an unverified kfrag.
import { ByteReader, concatBytes } from "../bytes";
import { FormatError, UnsupportedVersionError } from "../errors";
import {
	Capsule,
	decryptOriginal,
	encrypt,
	KeyFrag,
	type PublicKey,
	type SecretKey,
	type UmbralOptions,
	VerifiedKeyFrag,
} from "../umbral";
import { KFragRejectedError } from "./errors";
import type { SharePolicy } from "./share-policy";

export const SEALED_KFRAG_VERSION = 1;
const CAPSULE_BYTES = 105;
const KFRAG_BYTES = 310;
/** Umbral DEM overhead: 24-byte nonce + 16-byte tag. */
const DEM_OVERHEAD = 40;
/** Bytes of a sealed kfrag. */
export const SEALED_KFRAG_BYTES = 1 + CAPSULE_BYTES + KFRAG_BYTES + DEM_OVERHEAD;

/**
 * Seals one kfrag to the proxy whose Umbral (secp256k1) encryption key is `proxyEncryptionPk`
 * (from the proxy's signed register record).
 * @example const sealed = sealKFragForProxy(kfrags[i], PublicKey.fromBytes(node.encryptionPublicKey));
 */
export function sealKFragForProxy(
	kfrag: VerifiedKeyFrag | KeyFrag,
	proxyEncryptionPk: PublicKey,
	options?: UmbralOptions,
): Uint8Array {
	const bytes = kfrag.toBytes();
	try {
		const { capsule, ciphertext } = encrypt(proxyEncryptionPk, bytes, options);
		return concatBytes(Uint8Array.of(SEALED_KFRAG_VERSION), capsule.toBytes(), ciphertext);
	} finally {
		bytes.fill(0);
	}
}

/**
 * Opens a sealed kfrag with the proxy's secret key and verifies it for `policy`.
 * Throws FormatError / UnsupportedVersionError (layout) or KFragRejectedError (does not open,
 * is not a canonical kfrag, or is not the policy's delegation).
 */
export function openKFragForProxy(
	sealed: Uint8Array,
	proxySecretKey: SecretKey,
	policy: SharePolicy,
	options?: UmbralOptions,
): VerifiedKeyFrag {
	if (!(sealed instanceof Uint8Array) || sealed.length !== SEALED_KFRAG_BYTES) {
		throw new FormatError(`a sealed kfrag must be exactly ${SEALED_KFRAG_BYTES} bytes`);
	}
	const reader = new ByteReader(sealed, "sealed kfrag");
	const version = reader.u8();
	if (version !== SEALED_KFRAG_VERSION) {
		throw new UnsupportedVersionError(`sealed kfrag version ${version} is not supported`);
	}
	const capsuleBytes = reader.bytes(CAPSULE_BYTES);
	const ciphertext = reader.rest();
	let kfrag: KeyFrag;
	let plaintext: Uint8Array | undefined;
	try {
		plaintext = decryptOriginal(
			proxySecretKey,
			Capsule.fromBytes(capsuleBytes, options),
			ciphertext,
			options,
		);
		kfrag = KeyFrag.fromBytes(plaintext, options);
	} catch {
		throw new KFragRejectedError("the sealed kfrag does not open as a kfrag with this proxy's key");
	} finally {
		plaintext?.fill(0);
	}
	if (!kfrag.signDelegatingKey || !kfrag.signReceivingKey) {
		throw new KFragRejectedError("the kfrag must sign both the delegating and receiving keys");
	}
	try {
		return VerifiedKeyFrag.fromBytes(
			kfrag.toBytes(),
			policy.verifyingPk,
			policy.delegatingPk,
			policy.receivingPk,
			options,
		);
	} catch {
		throw new KFragRejectedError("the kfrag is not the policy's delegation");
	}
}
