// Public surface of the sharing formats (DESIGN §7): share policies, re-encryption requests,
// revocations, the per-share signer, kfrags sealed to proxies, and the recipient's opening.
// Pure and isomorphic: the browser builds and signs these, storage nodes verify them.
export { KFragRejectedError, NotEnoughCFragsError } from "./errors";
export {
	LINK_ACCESS_WINDOW_MS,
	MAX_LINK_ACCESS_BYTES,
	signLinkAccess,
	verifyLinkAccess,
} from "./link-access";
export { deriveLinkKeys, LINK_SECRET_BYTES, type LinkKeys } from "./link-keys";
export { type OpenShareInput, openShare } from "./open-share";
export {
	CAPSULE_BYTES,
	MAX_REENCRYPT_REQUEST_BYTES,
	REENCRYPT_REQUEST_VERSION,
	REQUEST_NONCE_BYTES,
	type ReencryptRequest,
	readReencryptRequest,
	signReencryptRequest,
	verifyReencryptRequest,
} from "./reencrypt-request";
export { openKFragForProxy, SEALED_KFRAG_BYTES, sealKFragForProxy } from "./sealed-kfrag";
export {
	CAPSULE_HASH_BYTES,
	capsuleHash,
	encodeSharePolicy,
	MAX_USE_LIMIT,
	SHARE_ID_BYTES,
	SHARE_POLICY_BODY_BYTES,
	SHARE_POLICY_LABEL,
	SHARE_POLICY_VERSION,
	type SharePolicy,
	SIGNED_SHARE_POLICY_BYTES,
	sharePolicyHash,
	signSharePolicy,
	verifySharePolicy,
} from "./share-policy";
export {
	readShareRevocation,
	SHARE_REVOCATION_LABEL,
	type ShareRevocation,
	signShareRevocation,
	verifyShareRevocation,
} from "./share-revocation";
export { deriveShareSigner, SHARE_SIGNING_INFO, shareKeyToUmbral } from "./share-signer";
