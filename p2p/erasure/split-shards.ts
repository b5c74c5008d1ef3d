// Cutting a buffer into k equal data shards (zero-padded at the end) and joining data shards
// back into the original bytes. Pure byte shuffling: one copy each way, no coding.
import { ErasureInputError, ErasureShardSizeError } from "./errors";
import { MAX_SHARD_BYTES, MAX_TOTAL_SHARDS } from "./limits";

function checkDataShardCount(dataShards: number): void {
	if (!Number.isSafeInteger(dataShards) || dataShards < 1 || dataShards >= MAX_TOTAL_SHARDS) {
		throw new ErasureInputError(`dataShards must be an integer from 1 to ${MAX_TOTAL_SHARDS - 1}`);
	}
}

/**
 * Length of each data shard for `dataLength` bytes cut into `dataShards` shards:
 * ⌈dataLength / k⌉, at least 1 (shards are never empty).
 */
export function shardLengthFor(dataLength: number, dataShards: number): number {
	checkDataShardCount(dataShards);
	if (!Number.isSafeInteger(dataLength) || dataLength < 0) {
		throw new ErasureInputError("dataLength must be a non-negative integer");
	}
	const length = Math.max(1, Math.ceil(dataLength / dataShards));
	if (length > MAX_SHARD_BYTES) {
		throw new ErasureShardSizeError(`shards of ${length} bytes exceed ${MAX_SHARD_BYTES}`);
	}
	return length;
}

/**
 * Cuts `data` into `dataShards` equal shards, the last ones zero-padded. The shards are views
 * of one buffer the input is copied into once (never aliased): `into` when given (a reused
 * buffer of at least k × shard length bytes, not overlapping `data`; its first k shards are
 * written, the rest left as it is), else a new one. Keep `data.length` to join.
 * @example
 * const shards = splitIntoShards(chunk, 4);
 * const parity = coder.encode(shards);
 */
export function splitIntoShards<Buffer extends ArrayBufferLike = ArrayBuffer>(
	data: Uint8Array,
	dataShards: number,
	into?: Uint8Array<Buffer>,
): Uint8Array<Buffer>[] {
	if (!(data instanceof Uint8Array)) throw new ErasureInputError("data must be a Uint8Array");
	const length = shardLengthFor(data.length, dataShards);
	const size = length * dataShards;
	if (into !== undefined && (!(into instanceof Uint8Array) || into.length < size)) {
		throw new ErasureInputError(`into must be a Uint8Array of at least ${size} bytes`);
	}
	const buffer = (into ?? new Uint8Array(size)) as Uint8Array<Buffer>;
	buffer.set(data);
	buffer.fill(0, data.length, size);
	return Array.from({ length: dataShards }, (_, i) =>
		buffer.subarray(i * length, (i + 1) * length),
	);
}

/**
 * The first `originalLength` bytes of the concatenated data shards: the inverse of
 * `splitIntoShards`. Written into `into` when given (a reused buffer at least that long, not
 * overlapping the shards; the result is its first `originalLength` bytes), else into a new array. Throws
 * ErasureInputError if the shards cannot hold that many bytes or `into` is too short.
 * @example
 * const chunk = joinShards(coder.reconstruct(shards).slice(0, 4), chunkLength);
 */
export function joinShards<Buffer extends ArrayBufferLike = ArrayBuffer>(
	dataShards: readonly Uint8Array[],
	originalLength: number,
	into?: Uint8Array<Buffer>,
): Uint8Array<Buffer> {
	if (!Array.isArray(dataShards) || dataShards.length === 0) {
		throw new ErasureInputError("dataShards must be a non-empty array");
	}
	checkDataShardCount(dataShards.length);
	const first = dataShards[0];
	if (!(first instanceof Uint8Array)) throw new ErasureInputError("shard 0 is not a Uint8Array");
	const length = first.length;
	dataShards.forEach((shard, index) => {
		if (!(shard instanceof Uint8Array)) {
			throw new ErasureInputError(`shard ${index} is not a Uint8Array`);
		}
		if (shard.length !== length) {
			throw new ErasureShardSizeError(
				`shard ${index} has ${shard.length} bytes but shard 0 has ${length}`,
			);
		}
	});
	const capacity = length * dataShards.length;
	if (!Number.isSafeInteger(originalLength) || originalLength < 0 || originalLength > capacity) {
		throw new ErasureInputError(
			`originalLength must be an integer from 0 to ${capacity} (what the shards hold)`,
		);
	}
	if (into !== undefined && (!(into instanceof Uint8Array) || into.length < originalLength)) {
		throw new ErasureInputError(`into must be a Uint8Array of at least ${originalLength} bytes`);
	}
	const out = (into?.subarray(0, originalLength) ??
		new Uint8Array(originalLength)) as Uint8Array<Buffer>;
	for (let i = 0, offset = 0; offset < originalLength; i++, offset += length) {
		const shard = dataShards[i] as Uint8Array;
		out.set(shard.subarray(0, Math.min(length, originalLength - offset)), offset);
	}
	return out;
}
