// Public surface of Coffre's Umbral (threshold proxy re-encryption), byte-exact with
// rust-umbral 0.10 (`shared/spec/umbral.md`). Pure and isomorphic: @noble/* only.
//
// Security: the delegating key given to `generateKFrags` can be recovered by `threshold`
// colluding proxies together with the recipient. Use a fresh key per share (ShareKey), never
// a user identity key. Proxies enforce expiry and revocation; `threshold` colluding proxies
// can ignore them.
export { Capsule } from "./capsule";
export { CapsuleFrag, reencrypt, VerifiedCapsuleFrag } from "./capsule-frag";
export type { CurveBackend } from "./curve-backend";
export {
	DecryptionFailedError,
	MismatchedCapsuleFragsError,
	NoCapsuleFragsError,
	RepeatedCapsuleFragsError,
	ThresholdNotMetError,
	UmbralError,
	UmbralFormatError,
	UmbralParameterError,
	UmbralVerificationError,
} from "./errors";
export { type GenerateKFragsParams, generateKFrags } from "./generate-kfrags";
export { KeyFrag, MAX_SHARES, VerifiedKeyFrag } from "./key-frag";
export { PublicKey, SecretKey } from "./keys";
export { nobleCurveBackend } from "./noble-curve-backend";
export type { UmbralOptions } from "./options";
export { decryptOriginal, decryptReencrypted, encrypt } from "./pre";
export { SecretKeyFactory } from "./secret-key-factory";
export { Signature, Signer } from "./signatures";
