// Limits shared by Coffre's protocols (DESIGN §5 Admission and anti-abuse), each with its reason.
// Nodes may lower them through their config; they must never be unbounded.

/** Largest shard a node accepts: a 4 MiB chunk split over k = 1 plus room (k ≥ 4 in practice). */
export const MAX_SHARD_BYTES = 8 * 2 ** 20;
/** Envelope room around shard bytes in one frame (ticket, field names, CBOR headers). */
export const FRAME_OVERHEAD_BYTES = 4_096;
/** Largest frame any Coffre protocol sends or accepts. */
export const MAX_FRAME_BYTES = MAX_SHARD_BYTES + FRAME_OVERHEAD_BYTES;
/** Whole-stream deadline: an 8 MiB shard over a slow volunteer uplink still fits. */
export const STREAM_TIMEOUT_MS = 60_000;
/** Requests on one stream before the node closes it (keeps one stream from living forever). */
export const MAX_REQUESTS_PER_STREAM = 4_096;
/** Concurrent inbound streams per connection and protocol (libp2p resets the rest). */
export const MAX_INBOUND_STREAMS = 32;
/** Concurrent outbound streams per connection and protocol. */
export const MAX_OUTBOUND_STREAMS = 64;
/** Clock skew allowed on signed timestamps. */
export const CLOCK_SKEW_MS = 5 * 60_000;
