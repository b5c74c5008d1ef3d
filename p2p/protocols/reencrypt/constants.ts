// Names and limits of the re-encryption protocol (DESIGN §5 Protocols, §7 Sharing).
//
// Messages are length-prefixed strict CBOR maps with `v: 1`:
// - store   `{v, op:"store", policy, sealedKFrag, ticket}` → `{}`: keep a kfrag sealed to this
//   node under a signed share policy, with a coordinator ticket binding share id + policy hash.
// - reencrypt `{v, op:"reencrypt", request}` → `{cfrag}`: one capsule fragment (381 bytes) for
//   a request signed by the policy's requester key.
// - revoke  `{v, op:"revoke", revocation}` → `{revoked: true}`: signed by the share's verifying key.
// Refusals carry the reencrypt statuses of wire/status (SHARE_EXPIRED, REVOKED, …).

export const REENCRYPT_PROTOCOL = "/coffre/reencrypt/1.0.0";
export const REENCRYPT_MESSAGE_VERSION = 1;
/** Domain label of coordinator-signed kfrag tickets. */
export const KFRAG_TICKET_DOMAIN = "coffre/kfrag-ticket/v1";
/** Largest frame: a policy (268), a sealed kfrag (456), a ticket and CBOR headers fit easily. */
export const MAX_REENCRYPT_FRAME_BYTES = 8 * 1024;
/** Whole-stream deadline: every operation is a few ms of curve arithmetic and one fsync. */
export const REENCRYPT_TIMEOUT_MS = 15_000;
/** Longest share a node accepts: expiry at most 400 days after it is stored. */
export const MAX_SHARE_LIFETIME_MS = 400 * 24 * 3_600_000;
/** Default most kfrags plus tombstones one node keeps (each is a file of under 1 KiB). */
export const DEFAULT_MAX_KFRAGS = 50_000;
/** Default interval of the sweep that deletes expired kfrags. */
export const DEFAULT_KFRAG_SWEEP_INTERVAL_MS = 60_000;
/** Nonces remembered per share within the clock window (a requester asks a few times a minute). */
export const MAX_NONCES_PER_SHARE = 1_024;
/** Shares with remembered nonces, at most. */
export const MAX_REPLAY_SHARES = 10_000;
/** Bytes of a capsule fragment's canonical form. */
export const CFRAG_BYTES = 381;
