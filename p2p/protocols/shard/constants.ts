// Names and limits of the shard protocol (DESIGN §5 Protocols).
//
// Messages are length-prefixed strict CBOR maps carrying their version in `v`:
// - v1 (still served): put `{v:1, op:"put", ticket, data}`, get `{v:1, op:"get", root}` → `{data}`,
//   has, renew, delete. The shard travels inside the CBOR message.
// - v2 streamed put: `{v:2, op:"put", ticket}` → a refusal; or `{status:OK}` when the shard is
//   already held (lease extended, no bytes needed); or `{status:OK, continue:true}`, after which
//   the caller sends ONE raw length-prefixed frame of exactly ticket.size bytes (no CBOR) and
//   gets the final answer (OK once hashed, root-checked and synced to disk, else ROOT_MISMATCH /
//   TICKET_MISMATCH …).
// - v2 streamed get: `{v:2, op:"get", root, max}` → a refusal, or `{status:OK, size}` (size ≤
//   max), then ONE raw frame of `size` bytes, then a trailer `{status:OK}` or `{status:CORRUPT}`
//   when the node's own check of what it read failed. The caller checks the root itself too.
// - v3 put, without the round trip of v2's "continue": `{v:3, op:"put", ticket}` is followed at
//   once by ONE raw length-prefixed frame of ticket.size bytes; ONE answer: OK once hashed,
//   root-checked and synced; `{status:OK, held:true}` when the shard is already held (lease
//   extended); or a refusal. The node checks the ticket (and room) before it reads any of the
//   body; when it refuses or already holds the shard it answers at once, then skips the body
//   unread — the caller may stop sending on that answer and close its side. Bytes in flight
//   are bounded by the muxer's window, and none is ever written without a valid ticket.

export const SHARD_PROTOCOL = "/coffre/shard/1.0.0";
/** Version of the has/renew/delete messages and of the inline put/get. */
export const SHARD_MESSAGE_VERSION = 1;
/** Version of the streamed put and get (raw body frame after a CBOR header). */
export const SHARD_STREAM_VERSION = 2;
/** Version of the put whose body follows its header without waiting (no "continue"). */
export const SHARD_EAGER_PUT_VERSION = 3;
/** Domain label of coordinator-signed storage tickets. */
export const STORAGE_TICKET_DOMAIN = "coffre/storage-ticket/v1";
/** Domain label of coordinator-signed delete orders. */
export const DELETE_ORDER_DOMAIN = "coffre/delete-order/v1";
/** Bytes of a shard root (SHA-256). */
export const ROOT_BYTES = 32;
/** Longest peer id string accepted in a ticket (base58 Ed25519 ids are 52 characters). */
export const MAX_PEER_ID_CHARS = 128;
/** Largest signed document (ticket or order) body. */
export const MAX_SIGNED_BODY_BYTES = 8_192;
