// Checks a shard-root implementation against crypto/merkle's pure one around every size edge
// (empty, one byte, one block ± 1, several blocks, a ragged last block, 1 MiB), each with its
// last byte flipped too. Shared by the tests of every hasher the client and nodes use.
import { expect } from "vitest";
import { MERKLE_BLOCK_SIZE, shardRoot } from "../../crypto/merkle";

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** Shard sizes at the tree's edges. */
export const SHARD_SIZE_EDGES = [
	0,
	1,
	MERKLE_BLOCK_SIZE - 1,
	MERKLE_BLOCK_SIZE,
	MERKLE_BLOCK_SIZE + 1,
	MERKLE_BLOCK_SIZE * 3,
	MERKLE_BLOCK_SIZE * 64 + 5,
	2 ** 20,
];

/** Expects `root` to give the pure hasher's root for shards of every edge size. */
export async function expectPureRootsAtSizeEdges(
	root: (shard: Uint8Array) => Uint8Array | Promise<Uint8Array>,
): Promise<void> {
	for (const size of SHARD_SIZE_EDGES) {
		const shard = new Uint8Array(size).map((_, i) => (i * 7 + size) & 0xff);
		expect(toHex(await root(shard)), `size ${size}`).toBe(toHex(shardRoot(shard)));
		if (size > 0) {
			shard[size - 1] = (shard[size - 1] as number) ^ 1;
			expect(toHex(await root(shard)), `size ${size}, last byte flipped`).toBe(
				toHex(shardRoot(shard)),
			);
		}
	}
}
