// Public surface of Coffre's erasure coding (DESIGN §5): systematic Reed-Solomon over
// GF(2^8) with the klauspost/Backblaze matrix, plus helpers to cut chunks into data shards.
// Browser-safe: nothing here imports node:*.
export {
	createErasureCoder,
	type ErasureCoder,
	type ErasureCoderOptions,
} from "./erasure-coder";
export {
	ErasureError,
	ErasureInputError,
	ErasureKernelUnavailableError,
	ErasureParameterError,
	ErasureShardCountError,
	ErasureShardSizeError,
	ErasureTooFewShardsError,
} from "./errors";
export type { ErasureKernelChoice } from "./gf-kernel";
export { MAX_SHARD_BYTES, MAX_TOTAL_SHARDS } from "./limits";
export { joinShards, shardLengthFor, splitIntoShards } from "./split-shards";
