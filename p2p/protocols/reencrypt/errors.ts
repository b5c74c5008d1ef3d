// Typed failures of /coffre/reencrypt/1.0.0 as callers see them: each refusal status becomes its
// own class (a RemoteRefusedError with `status` and `statusName` kept), so the server can map
// them to user-facing answers by `name`. Messages never carry kfrag, key or request bytes.
import { RemoteRefusedError } from "../../wire/errors";
import { Status } from "../../wire/status";

/** The kfrag ticket is unsigned, forged, for another node or policy, or expired. */
export class BadKFragTicketError extends RemoteRefusedError {
	override name = "BadKFragTicketError";
}
/** The share policy is malformed, too long-lived, or its signature does not verify. */
export class BadSharePolicyError extends RemoteRefusedError {
	override name = "BadSharePolicyError";
}
/** The sealed kfrag does not open for the node or is not the policy's delegation. */
export class BadKFragError extends RemoteRefusedError {
	override name = "BadKFragError";
}
export class ShareExpiredError extends RemoteRefusedError {
	override name = "ShareExpiredError";
}
export class ShareNotYetValidError extends RemoteRefusedError {
	override name = "ShareNotYetValidError";
}
export class UseLimitReachedError extends RemoteRefusedError {
	override name = "UseLimitReachedError";
}
export class ShareRevokedError extends RemoteRefusedError {
	override name = "ShareRevokedError";
}
export class UnknownShareError extends RemoteRefusedError {
	override name = "UnknownShareError";
}
/** The request or revocation is not signed by the key the policy names. */
export class BadRequestSignatureError extends RemoteRefusedError {
	override name = "BadRequestSignatureError";
}
/** The request's nonce was seen before, or its time is outside the proxy's clock window. */
export class ReplayedRequestError extends RemoteRefusedError {
	override name = "ReplayedRequestError";
}
export class WrongCapsuleError extends RemoteRefusedError {
	override name = "WrongCapsuleError";
}
export class ShareExistsError extends RemoteRefusedError {
	override name = "ShareExistsError";
}
/** The request was made for another proxy. */
export class WrongProxyError extends RemoteRefusedError {
	override name = "WrongProxyError";
}

const BY_STATUS = new Map<number, typeof RemoteRefusedError>([
	[Status.BAD_SIGNATURE, BadKFragTicketError],
	[Status.TICKET_MISMATCH, BadKFragTicketError],
	[Status.EXPIRED, BadKFragTicketError],
	[Status.BAD_POLICY, BadSharePolicyError],
	[Status.BAD_KFRAG, BadKFragError],
	[Status.SHARE_EXPIRED, ShareExpiredError],
	[Status.NOT_YET_VALID, ShareNotYetValidError],
	[Status.USE_LIMIT_REACHED, UseLimitReachedError],
	[Status.REVOKED, ShareRevokedError],
	[Status.UNKNOWN_SHARE, UnknownShareError],
	[Status.BAD_REQUEST_SIGNATURE, BadRequestSignatureError],
	[Status.REPLAYED, ReplayedRequestError],
	[Status.STALE_REQUEST, ReplayedRequestError],
	[Status.WRONG_CAPSULE, WrongCapsuleError],
	[Status.SHARE_EXISTS, ShareExistsError],
	[Status.WRONG_PROXY, WrongProxyError],
]);

/** The typed error of a refusal (other statuses stay RemoteRefusedError). */
export function typedRefusal(error: RemoteRefusedError): RemoteRefusedError {
	const Type = BY_STATUS.get(error.status);
	return Type ? new Type(error.status, error.reason) : error;
}
