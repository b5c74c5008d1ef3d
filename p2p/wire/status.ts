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
	INTERNAL: 99,
} as const;

export type StatusCode = (typeof Status)[keyof typeof Status];

/** The name of a status code, for error messages ("CAPACITY_FULL"). */
export function statusName(code: number): string {
	for (const [name, value] of Object.entries(Status)) if (value === code) return name;
	return `UNKNOWN_${code}`;
}
