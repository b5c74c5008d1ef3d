// The keys of a time-limited link (DESIGN §7). The link's secret (32 random bytes) lives only
// in the URL fragment (`/s/<id>#<secret>`); with a password, the Argon2id-stretched password
// (stretched by the caller, salt stored with the link) is mixed in:
//   ikm  = secret ‖ stretchedPassword   (secret alone without a password)
//   okm  = HKDF-SHA256(ikm, salt = link id bytes, info = "coffre/link/v1", 80)
//   receiving secret key = (okm[0..48) mod (n − 1)) + 1  (secp256k1, the Umbral receiving key)
//   requester key        = Ed25519 seed okm[48..80)      (signs re-encryption requests and
//                                                         shard access for this link)
// so neither key can be found without the fragment (and the password, when there is one).
import { mapHashToField } from "@noble/curves/abstract/modular.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, idBytes, utf8 } from "../bytes";
import { FormatError } from "../errors";
import {
	importSecretKey,
	type SigningPublicKey,
	type SigningSecretKey,
	signingPublicKeyOf,
} from "../keys";
import { type PublicKey, SecretKey } from "../umbral";

export const LINK_SECRET_BYTES = 32;
export const LINK_KEYS_INFO = "coffre/link/v1";

/** The key pairs a link's secret (and password) give. */
export interface LinkKeys {
	receivingSk: SecretKey;
	receivingPk: PublicKey;
	requester: SigningSecretKey;
	requesterPk: SigningPublicKey;
}

/**
 * Derives a link's keys from its secret, its id and, for a password link, the stretched password.
 * @example const keys = deriveLinkKeys(secret, linkId); // policy.receivingPk = keys.receivingPk
 */
export function deriveLinkKeys(
	secret: Uint8Array,
	linkId: string,
	stretchedPassword?: Uint8Array,
): LinkKeys {
	if (!(secret instanceof Uint8Array) || secret.length !== LINK_SECRET_BYTES)
		throw new FormatError(`a link secret is ${LINK_SECRET_BYTES} bytes`);
	if (stretchedPassword !== undefined && stretchedPassword.length < 32)
		throw new FormatError("a stretched password has at least 32 bytes");
	const ikm = stretchedPassword ? concatBytes(secret, stretchedPassword) : Uint8Array.from(secret);
	const okm = hkdf(sha256, ikm, idBytes(linkId, "link id"), utf8(LINK_KEYS_INFO), 80);
	const scalar = mapHashToField(okm.subarray(0, 48), secp256k1.Point.Fn.ORDER);
	try {
		const receivingSk = SecretKey.fromBytes(scalar);
		const requester = importSecretKey("SigningSecretKey", okm.subarray(48, 80));
		return {
			receivingSk,
			receivingPk: receivingSk.publicKey(),
			requester,
			requesterPk: signingPublicKeyOf(requester),
		};
	} finally {
		ikm.fill(0);
		okm.fill(0);
		scalar.fill(0);
	}
}
