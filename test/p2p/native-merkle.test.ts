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
});
