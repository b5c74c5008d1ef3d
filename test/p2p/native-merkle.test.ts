// The node's native-SHA-256 Merkle hasher must give exactly the roots and proofs of the pure one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MERKLE_BLOCK_SIZE, shardBlockProof, shardRoot } from "../../crypto/merkle";
import { nativeMerkleHasher, nativeShardRoot } from "../../p2p/wire/native-merkle";

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
});
