// Shared fixtures for the erasure-coding tests: klauspost's vectors, random shards and
// erasure patterns.
import { readSharedVectors } from "../../helpers/shared-vectors";

/** One case of shared/vectors/reed-solomon/klauspost-default-matrix.json (shards in hex). */
export interface KlauspostCase {
	k: number;
	m: number;
	shardSize: number;
	data: string[];
	parity: string[];
}

/** The klauspost/reedsolomon 1.9.13 default-matrix cases. */
export function klauspostCases(): KlauspostCase[] {
	return readSharedVectors<{ cases: KlauspostCase[] }>("reed-solomon/klauspost-default-matrix.json")
		.cases;
}

/** Random bytes of any size (getRandomValues is capped at 64 KiB per call). */
export function randomBytes(size: number): Uint8Array {
	const out = new Uint8Array(size);
	for (let offset = 0; offset < size; offset += 65_536) {
		crypto.getRandomValues(out.subarray(offset, Math.min(size, offset + 65_536)));
	}
	return out;
}

/** `count` random shards of `length` bytes each. */
export function randomShards(count: number, length: number): Uint8Array[] {
	return Array.from({ length: count }, () => randomBytes(length));
}

/** The shards with the given indices replaced by null. */
export function withLost(
	shards: readonly Uint8Array[],
	lost: Iterable<number>,
): (Uint8Array | null)[] {
	const lostSet = new Set(lost);
	return shards.map((shard, i) => (lostSet.has(i) ? null : shard));
}

/** Every subset of {0..n-1} with exactly `size` elements. */
export function subsetsOfSize(n: number, size: number): number[][] {
	if (size === 0) return [[]];
	if (n < size) return [];
	return [
		...subsetsOfSize(n - 1, size),
		...subsetsOfSize(n - 1, size - 1).map((subset) => [...subset, n - 1]),
	];
}

/** `size` distinct indices below n, chosen at random. */
export function randomSubset(n: number, size: number): number[] {
	const indices = Array.from({ length: n }, (_, i) => i);
	for (let i = n - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
	}
	return indices.slice(0, size);
}
