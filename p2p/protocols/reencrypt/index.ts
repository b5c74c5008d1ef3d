// Public surface of /coffre/reencrypt/1.0.0: the caller functions, kfrag tickets, the node-side
// handler, and the protocol's names and typed errors.
export { type ReencryptCallOptions, requestCFrag, revokeShare, storeKFrag } from "./client";
export { KFRAG_TICKET_DOMAIN, MAX_SHARE_LIFETIME_MS, REENCRYPT_PROTOCOL } from "./constants";
export {
	BadKFragError,
	BadKFragTicketError,
	BadRequestSignatureError,
	BadSharePolicyError,
	ReplayedRequestError,
	ShareExistsError,
	ShareExpiredError,
	ShareNotYetValidError,
	ShareRevokedError,
	UnknownShareError,
	UseLimitReachedError,
	WrongCapsuleError,
	WrongProxyError,
} from "./errors";
export { handleReencryptRequest } from "./handler";
export { type KFragTicket, signKFragTicket, verifyKFragTicket } from "./ticket";
