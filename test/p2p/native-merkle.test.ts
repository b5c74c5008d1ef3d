// The node's native-SHA-256 Merkle hasher must give exactly the roots and proofs of the pure one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MERKLE_BLOCK_SIZE, shardBlockProof, shardRoot } from "../../crypto/merkle";
import { nativeMerkleHasher, nativeShardRoot, ShardRootHasher } from "../../p2p/wire/native-merkle";

describe("native Merkle hasher", () => {
	it("matches the pure hasher on roots and block proofs of random shards", () => {
		fc.assert(
			fc.property(
				fc.uint8Array({ minLength: 0, maxLength: MERKLE_BLOCK_SIZE * 5 + 7 }),
				fc.nat(),
				(shard, pick) => {
					expect(nativeShardRoot(shard)).toEqual(shardRoot(shard));
					if (shard.length > 0) {
						const index = pick % Math.ceil(shard.length / MERKLE_BLOCK_SIZE);
						expect(shardBlockProof(shard, index, nativeMerkleHasher)).toEqual(
							shardBlockProof(shard, index),
						);
					}
				},
			),
			{ numRuns: 30 },
		);
	});

	it("matches the pure hasher on a shard of many blocks, whole and fed in pieces", () => {
		const shard = new Uint8Array(MERKLE_BLOCK_SIZE * 257 + 3).map((_, i) => (i * 31) >> 3);
		const root = shardRoot(shard);
		expect(nativeShardRoot(shard)).toEqual(root);
		const hasher = new ShardRootHasher();
		for (let at = 0; at < shard.length; at += 65_537)
			hasher.update(shard.subarray(at, at + 65_537));
		expect(hasher.digest()).toEqual(root);
	});

	it("gives the pure root for every leaf count up to 40, fed in pieces of any size", () => {
		// Every shape of RFC 6962 tree up to 40 leaves: whole, partial last block, one byte more.
		const big = new Uint8Array(MERKLE_BLOCK_SIZE * 40 + 1).map(
			(_, i) => (i * 7 + (i >> 14)) & 0xff,
		);
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: big.length }),
				fc.integer({ min: 1, max: 70_000 }),
				(size, piece) => {
					const shard = big.subarray(0, size);
					const hasher = new ShardRootHasher();
					for (let at = 0; at < shard.length; at += piece)
						hasher.update(shard.subarray(at, at + piece));
					expect(hasher.byteLength).toBe(size);
					expect(hasher.digest()).toEqual(shardRoot(shard));
				},
			),
			{
				numRuns: 60,
				examples: [
					[0, 5],
					[1, 1],
					[MERKLE_BLOCK_SIZE * 3, 4096],
					[MERKLE_BLOCK_SIZE * 32, 65_536],
					[MERKLE_BLOCK_SIZE * 33 + 9, 333],
				],
			},
		);
		for (let leaves = 1; leaves <= 40; leaves++) {
			const shard = big.subarray(0, leaves * MERKLE_BLOCK_SIZE);
			const hasher = new ShardRootHasher();
			hasher.update(shard);
			expect(hasher.digest()).toEqual(shardRoot(shard));
		}
	});
});
