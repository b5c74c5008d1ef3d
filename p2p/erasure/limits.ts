// Bounds on what the erasure coder accepts, with the reason for each.

/** GF(2^8) has 256 distinct evaluation points, so a code has at most 256 shards (k + m). */
export const MAX_TOTAL_SHARDS = 256;

/**
 * Largest shard accepted, in bytes. Chunks are 4 MiB by default (DESIGN §4) and a shard is at
 * most one chunk (k = 1); 64 MiB leaves room for larger chunk settings while bounding memory.
 */
export const MAX_SHARD_BYTES = 64 * 2 ** 20;

/** Reconstruction plans (inverted matrices) kept per coder, least recently used dropped first. */
export const MAX_CACHED_ERASURE_PATTERNS = 64;
