// The public surface of Coffre's crypto core (DESIGN §3, §4): what accounts, vaults, sharing,
// the client and the server may call. Must stay pure: no I/O, no `node:*`, runs in browsers.
// Merkle trees (`merkle.ts`) and Umbral (`umbral/`) are exported from their own modules.

export { fromBase64url, toBase64url } from "./base64url";
export { concatBytes, equalBytes, fromUtf8, utf8 } from "./bytes";
export {
	CoffreCryptoError,
	FormatError,
	IntegrityError,
	InvalidKeyError,
	KeyCommitmentError,
	MisuseError,
	SignatureError,
	TrailingDataError,
	TruncatedStreamError,
	UnsupportedVersionError,
} from "./errors";
export type { IdentityKeys, PublicIdentity, SignedPublicIdentity } from "./identity";
export {
	generateIdentityKeys,
	identityKeysFromSecrets,
	PUBLIC_IDENTITY_VERSION,
	signPublicIdentity,
	verifyPublicIdentity,
} from "./identity";
export {
	CONTENT_INFO,
	deriveContentKey,
	derivePasskeyKey,
	deriveRecoveryProofKey,
	PASSKEY_INFO,
	RECOVERY_PROOF_INFO,
} from "./kdf";
export type {
	AccountWrappingKey,
	NodeParentKey,
	SealedIdentitySecrets,
	Wrapped,
	WrappedAccountKey,
	WrappedKind,
	WrappedNodeKey,
	WrappedShareKey,
	WrappedVaultKey,
} from "./key-wrap";
export {
	asWrapped,
	openIdentitySecrets,
	sealIdentitySecrets,
	unwrapAccountKey,
	unwrapNodeKey,
	unwrapShareKey,
	unwrapVaultKey,
	wrapAccountKey,
	wrapNodeKey,
	wrapShareKey,
	wrapVaultKey,
} from "./key-wrap";
export type {
	AccountKey,
	ContentKey,
	EncryptionPublicKey,
	EncryptionSecretKey,
	NodeKey,
	PasskeyKey,
	PassphraseKey,
	PublicKeyBytes,
	RandomKeyKind,
	RecoveryKey,
	Secp256k1KeyKind,
	SecretKeyKind,
	ShareKey,
	SigningPublicKey,
	SigningSecretKey,
	SymmetricKeyKind,
	VaultKey,
} from "./keys";
export {
	encryptionPublicKeyFromBytes,
	encryptionPublicKeyOf,
	generateKey,
	generateSecp256k1Key,
	generateSigningKey,
	importSecretKey,
	SECRET_KEY_BYTES,
	SecretKey,
	signingPublicKeyFromBytes,
	signingPublicKeyOf,
} from "./keys";
export { randomBytes } from "./random";
export { identityFingerprint, safetyNumber } from "./safety-number";
export type { BoundIds, BoxKey, BoxPurpose, OpenBoxInput, SealBoxInput } from "./sealed-box";
export {
	BOX_OVERHEAD,
	BOX_PURPOSES,
	MAX_BOX_PLAINTEXT,
	openBox,
	SEALED_BOX_VERSION,
	sealBox,
} from "./sealed-box";
export type { StreamExpectation, StreamHeaderInfo, StreamParams } from "./sealed-stream";
export {
	chunkCountFor,
	createOpenStream,
	createSealStream,
	createStreamOpener,
	createStreamSealer,
	DEFAULT_CHUNK_SIZE,
	MAX_CHUNK_SIZE,
	MIN_CHUNK_SIZE,
	resumeStreamSealer,
	SEALED_STREAM_VERSION,
	STREAM_TAG_BYTES,
	StreamOpener,
	StreamSealer,
} from "./sealed-stream";
export type { SignatureContext } from "./signing";
export {
	assertSignature,
	SIGNATURE_BYTES,
	SIGNATURE_CONTEXTS,
	sign,
	verifySignature,
} from "./signing";
