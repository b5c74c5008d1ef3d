// Key derivation (DESIGN §3): PasskeyKey from a WebAuthn PRF output, ContentKey from a NodeKey
// and a version id, and the recovery-proof signing key from the RecoveryKey, all HKDF-SHA256
// (RFC 5869) from @noble/hashes.
// Must never return raw bytes: every output is a branded key.
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, idBytes, utf8 } from "./bytes";
import { FormatError } from "./errors";
import type { ContentKey, NodeKey, PasskeyKey, RecoveryKey, SigningSecretKey } from "./keys";
import { importSecretKey, SECRET_KEY_BYTES } from "./keys";

export const PASSKEY_INFO = "coffre/passkey/v1";
export const CONTENT_INFO = "coffre/content/v1";
export const RECOVERY_PROOF_INFO = "coffre/recovery-proof/v1";

/** WebAuthn PRF (hmac-secret) outputs are 32 bytes. */
export const PRF_OUTPUT_BYTES = 32;
/** WebAuthn credential ids are at most 1023 bytes (WebAuthn L3 §4, "Credential ID"). */
export const MAX_CREDENTIAL_ID_BYTES = 1023;
export const MIN_CREDENTIAL_ID_BYTES = 1;

/**
 * PasskeyKey = HKDF-SHA256(ikm = PRF output, salt = credential id, info = "coffre/passkey/v1").
 * @example const passkeyKey = derivePasskeyKey(prf.results.first, rawCredentialId);
 */
export function derivePasskeyKey(prfOutput: Uint8Array, credentialId: Uint8Array): PasskeyKey {
	if (!(prfOutput instanceof Uint8Array) || prfOutput.length !== PRF_OUTPUT_BYTES) {
		throw new FormatError(`PRF output must be ${PRF_OUTPUT_BYTES} bytes`);
	}
	if (
		!(credentialId instanceof Uint8Array) ||
		credentialId.length < MIN_CREDENTIAL_ID_BYTES ||
		credentialId.length > MAX_CREDENTIAL_ID_BYTES
	) {
		throw new FormatError(
			`credential id must be ${MIN_CREDENTIAL_ID_BYTES} to ${MAX_CREDENTIAL_ID_BYTES} bytes`,
		);
	}
	const okm = hkdf(sha256, prfOutput, credentialId, utf8(PASSKEY_INFO), SECRET_KEY_BYTES);
	try {
		return importSecretKey("PasskeyKey", okm);
	} finally {
		okm.fill(0);
	}
}

/**
 * ContentKey = HKDF-SHA256(ikm = NodeKey, no salt, info = "coffre/content/v1" ‖ UTF-8 versionId).
 * The label has a fixed length, so the concatenation is unambiguous.
 * @example const contentKey = deriveContentKey(fileNodeKey, versionId);
 */
export function deriveContentKey(nodeKey: NodeKey, versionId: string): ContentKey {
	const info = concatBytes(utf8(CONTENT_INFO), idBytes(versionId, "version id"));
	const ikm = nodeKey.exportBytes();
	const okm = hkdf(sha256, ikm, undefined, info, SECRET_KEY_BYTES);
	try {
		return importSecretKey("ContentKey", okm);
	} finally {
		okm.fill(0);
		ikm.fill(0);
	}
}

/**
 * The Ed25519 key that proves possession of a RecoveryKey during account recovery:
 * seed = HKDF-SHA256(ikm = RecoveryKey, no salt, info = "coffre/recovery-proof/v1"). The server
 * keeps only its public half, so it can check a recoverer without ever holding the kit.
 * @example const proof = sign(deriveRecoveryProofKey(recoveryKey), "recovery-proof", challenge);
 */
export function deriveRecoveryProofKey(recoveryKey: RecoveryKey): SigningSecretKey {
	const ikm = recoveryKey.exportBytes();
	const okm = hkdf(sha256, ikm, undefined, utf8(RECOVERY_PROOF_INFO), SECRET_KEY_BYTES);
	try {
		return importSecretKey("SigningSecretKey", okm);
	} finally {
		okm.fill(0);
		ikm.fill(0);
	}
}
