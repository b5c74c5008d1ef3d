// The per-share signing key (DESIGN §7): one secp256k1 key per share, derived from the share's
// ShareKey so the owner never has to store it, that signs the share's kfrags, its policy and its
// revocations. Derivation:
//   okm = HKDF-SHA256(ikm = ShareKey (32 bytes), no salt, info = "coffre/share-signing/v1", 48)
//   sk  = (okm mod (n − 1)) + 1        (FIPS 186-5 A.2.1, noble's mapHashToField)
// 48 bytes leave a bias below 2^-128. The result is never the ShareKey itself (HKDF output), so
// proxies that collude to recover the delegating key learn nothing new from signatures.
import { mapHashToField } from "@noble/curves/abstract/modular.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8 } from "../bytes";
import type { ShareKey } from "../keys";
import { SecretKey, Signer, type UmbralOptions } from "../umbral";

export const SHARE_SIGNING_INFO = "coffre/share-signing/v1";

/**
 * The Umbral signer of one share, derived from its ShareKey.
 * @example const signer = deriveShareSigner(shareKey); // signer.verifyingKey() goes in the policy
 */
export function deriveShareSigner(shareKey: ShareKey, options?: UmbralOptions): Signer {
	const ikm = shareKey.exportBytes();
	const okm = hkdf(sha256, ikm, undefined, utf8(SHARE_SIGNING_INFO), 48);
	const scalarBytes = mapHashToField(okm, secp256k1.Point.Fn.ORDER);
	try {
		return new Signer(SecretKey.fromBytes(scalarBytes), options);
	} finally {
		ikm.fill(0);
		okm.fill(0);
		scalarBytes.fill(0);
	}
}

/** The Umbral secret key of a ShareKey (the delegating key of `generateKFrags`). */
export function shareKeyToUmbral(shareKey: ShareKey): SecretKey {
	const bytes = shareKey.exportBytes();
	try {
		return SecretKey.fromBytes(bytes);
	} finally {
		bytes.fill(0);
	}
}
