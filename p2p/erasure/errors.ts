// Typed errors of the erasure coder, one class per failure, each with `name` set so callers
// and tests can branch on it. Messages state counts and sizes only, never shard bytes.

/** Base class of every erasure-coding error. */
export class ErasureError extends Error {
	override name = "ErasureError";
}

/** The code parameters are out of range (k < 1, m < 1, or k + m > 256). */
export class ErasureParameterError extends ErasureError {
	override name = "ErasureParameterError";
}

/** The number of shards given is not the number the coder expects (k to encode, k + m to reconstruct). */
export class ErasureShardCountError extends ErasureError {
	override name = "ErasureShardCountError";
}

/** A shard is empty, too large, or shards differ in length. */
export class ErasureShardSizeError extends ErasureError {
	override name = "ErasureShardSizeError";
}

/** Fewer than k shards are present, so the data cannot be rebuilt. */
export class ErasureTooFewShardsError extends ErasureError {
	override name = "ErasureTooFewShardsError";
}

/** An argument has the wrong type (a shard that is not a Uint8Array, not an array) or a split/join argument is invalid. */
export class ErasureInputError extends ErasureError {
	override name = "ErasureInputError";
}

/** The WASM SIMD kernel was asked for explicitly but this runtime cannot run it. */
export class ErasureKernelUnavailableError extends ErasureError {
	override name = "ErasureKernelUnavailableError";
}
