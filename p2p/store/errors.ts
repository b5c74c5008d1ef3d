// Typed failures of the disk store. Messages name the shard root (a public address) and sizes,
// never stored bytes.

/** The shard would not fit in the node's disk allowance. */
export class CapacityFullError extends Error {
	override name = "CapacityFullError";
}

/** The bytes offered for a root do not hash to that root. */
export class RootMismatchError extends Error {
	override name = "RootMismatchError";
}

/** No live shard with this root (never stored, deleted, or its lease ran out). */
export class ShardNotFoundError extends Error {
	override name = "ShardNotFoundError";
}

/** The stored file failed its Merkle check; it was quarantined and will not be served. */
export class CorruptShardError extends Error {
	override name = "CorruptShardError";
}
