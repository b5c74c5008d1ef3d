// Status codes every Coffre protocol answer carries (the js-libp2p habit of a status enum in
// each response). A refusal always names one of these; none of them ever carries stored bytes.

/** Status of a protocol answer. */
export const Status = {
	OK: 0,
	/** The frame was not a valid message of this protocol (CBOR, fields, bounds). */
	BAD_REQUEST: 1,
	/** The message's `v` is not one this node speaks. */
	UNSUPPORTED_VERSION: 2,
	/** The frame was larger than this protocol allows. */
	TOO_LARGE: 3,
	/** The peer sent more than its share of requests; retry later. */
	RATE_LIMITED: 4,
	/** The storage ticket or delete order is not signed by the trusted coordinator key. */
	BAD_SIGNATURE: 10,
	/** The ticket or order has expired. */
	EXPIRED: 11,
	/** The ticket is for another node, or its root/size disagree with the bytes sent. */
	TICKET_MISMATCH: 12,
	/** The Merkle root of the received bytes is not the ticket's root. */
	ROOT_MISMATCH: 13,
	NOT_FOUND: 14,
	/** The node's disk allowance is used up. */
	CAPACITY_FULL: 15,
	/** The stored copy failed its Merkle check; it is quarantined and never served. */
	CORRUPT: 16,
	/** The block index is outside the shard. */
	OUT_OF_RANGE: 17,
	// /coffre/reencrypt/1.0.0 (DESIGN §7). A bad kfrag ticket answers BAD_SIGNATURE,
	// TICKET_MISMATCH or EXPIRED like a storage ticket.
	/** The share policy is malformed, too long-lived, or not signed by its verifying key. */
	BAD_POLICY: 20,
	/** The sealed kfrag does not open with this node's key, or is not the policy's delegation. */
	BAD_KFRAG: 21,
	/** The share has expired; its kfrag is deleted. */
	SHARE_EXPIRED: 22,
	/** The share's policy does not allow re-encryption yet (notBefore). */
	NOT_YET_VALID: 23,
	/** The share's use limit is used up; its kfrag is deleted. */
	USE_LIMIT_REACHED: 24,
	/** The share was revoked; its kfrag is deleted. */
	REVOKED: 25,
	/** No kfrag for this share here. */
	UNKNOWN_SHARE: 26,
	/** The request or revocation is not signed by the key the share's policy names. */
	BAD_REQUEST_SIGNATURE: 27,
	/** The request's nonce was already used. */
	REPLAYED: 28,
	/** The request's capsule is not the one the policy names. */
	WRONG_CAPSULE: 29,
	/** A kfrag for this share is already stored here. */
	SHARE_EXISTS: 30,
	/** The request names another proxy. */
	WRONG_PROXY: 31,
	/** The request's issuedAt is outside the allowed clock window. */
	STALE_REQUEST: 32,
	INTERNAL: 99,
} as const;

export type StatusCode = (typeof Status)[keyof typeof Status];

/** The name of a status code, for error messages ("CAPACITY_FULL"). */
export function statusName(code: number): string {
	for (const [name, value] of Object.entries(Status)) if (value === code) return name;
	return `UNKNOWN_${code}`;
}
