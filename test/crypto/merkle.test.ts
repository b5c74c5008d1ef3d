// RFC 6962 Merkle trees: reference vectors from transparency-dev/merkle (the Certificate
// Transparency reference tree), proof tampering, and shard block audits over 16 KiB blocks.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	hashLeaf,
	inclusionProof,
	MERKLE_BLOCK_SIZE,
	merkleTreeHash,
	shardBlockProof,
	shardLeafHashes,
	shardRoot,
	shardRootWebCrypto,
	verifyInclusion,
	verifyShardBlock,
} from "../../crypto/merkle";
import { expectPureRootsAtSizeEdges } from "../helpers/shard-root-edges";

interface Vectors {
	emptyRoot: string;
	leaves: string[];
	leafHashes: string[];
	rootsBySize: string[];
	inclusionProofs: { leafIndex: number; size: number; proof: string[] }[];
}
const vectors = JSON.parse(
	readFileSync(join(import.meta.dirname, "../vectors/merkle/rfc6962-reference.json"), "utf8"),
) as Vectors;
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const leaves = vectors.leaves.map(hex);

describe("RFC 6962 reference tree", () => {
	it("hashes the empty tree to SHA-256 of nothing", () => {
		expect(toHex(merkleTreeHash([]))).toBe(vectors.emptyRoot);
	});

	it("hashes each leaf with the 0x00 prefix", () => {
		expect(leaves.map((l) => toHex(hashLeaf(l)))).toEqual(vectors.leafHashes);
	});

	it("gives the published root for every tree size 1..8", () => {
		for (let size = 1; size <= 8; size++) {
			expect(toHex(merkleTreeHash(leaves.slice(0, size))), `size ${size}`).toBe(
				vectors.rootsBySize[size - 1],
			);
		}
	});

	it("produces and verifies the published inclusion proofs", () => {
		for (const v of vectors.inclusionProofs) {
			const tree = leaves.slice(0, v.size);
			expect(inclusionProof(tree, v.leafIndex).map(toHex)).toEqual(v.proof);
			const root = hex(vectors.rootsBySize[v.size - 1] as string);
			const leafHash = hashLeaf(tree[v.leafIndex] as Uint8Array);
			expect(
				verifyInclusion({
					root,
					index: v.leafIndex,
					size: v.size,
					leafHash,
					proof: v.proof.map(hex),
				}),
			).toBe(true);
		}
	});

	it("refuses every corrupted proof of the published set (index, size, root, leaf, path)", () => {
		for (const v of vectors.inclusionProofs) {
			const root = hex(vectors.rootsBySize[v.size - 1] as string);
			const leafHash = hashLeaf(leaves[v.leafIndex] as Uint8Array);
			const proof = v.proof.map(hex);
			const probes = [
				{ index: v.leafIndex - 1, size: v.size, root, leafHash, proof },
				{ index: v.leafIndex + 1, size: v.size, root, leafHash, proof },
				{ index: v.leafIndex ^ 2, size: v.size, root, leafHash, proof },
				{ index: v.leafIndex, size: v.size * 2, root, leafHash, proof },
				{ index: v.leafIndex, size: Math.floor(v.size / 2), root, leafHash, proof },
				{ index: v.leafIndex, size: v.size, root, leafHash: hashLeaf(hex("ff")), proof },
				{ index: v.leafIndex, size: v.size, root: hex(vectors.emptyRoot), leafHash, proof },
				{ index: v.leafIndex, size: v.size, root, leafHash, proof: [...proof, root] },
				{ index: v.leafIndex, size: v.size, root, leafHash, proof: [root, ...proof] },
				{ index: v.leafIndex, size: v.size, root, leafHash, proof: [...proof, new Uint8Array(0)] },
				...proof.map((_, i) => ({
					index: v.leafIndex,
					size: v.size,
					root,
					leafHash,
					proof: proof.map((p, j) => (j === i ? p.map((b, k) => (k === 0 ? b ^ 8 : b)) : p)),
				})),
				...(proof.length > 0
					? [{ index: v.leafIndex, size: v.size, root, leafHash, proof: proof.slice(0, -1) }]
					: []),
			];
			for (const probe of probes) expect(verifyInclusion(probe)).toBe(false);
		}
	});
});

describe("shard trees over 16 KiB blocks", () => {
	it("roots a shard at the tree of its blocks, the last one short", () => {
		const shard = new Uint8Array(MERKLE_BLOCK_SIZE * 2 + 100).map((_, i) => i & 0xff);
		const blocks = [0, 1, 2].map((i) =>
			shard.subarray(i * MERKLE_BLOCK_SIZE, (i + 1) * MERKLE_BLOCK_SIZE),
		);
		expect(toHex(shardRoot(shard))).toBe(toHex(merkleTreeHash(blocks)));
		expect(shardLeafHashes(shard)).toHaveLength(3);
	});

	it("gives the same root through WebCrypto as through the pure hasher, at every size edge", async () => {
		await expectPureRootsAtSizeEdges(shardRootWebCrypto);
	});

	it("verifies every block proof of random shards and refuses a flipped byte", () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: MERKLE_BLOCK_SIZE * 7 + 3 }),
				fc.nat(),
				fc.nat(),
				(size, pick, flip) => {
					const shard = new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff);
					const root = shardRoot(shard);
					const count = Math.ceil(size / MERKLE_BLOCK_SIZE);
					const index = pick % count;
					const { block, proof } = shardBlockProof(shard, index);
					expect(verifyShardBlock({ root, shardSize: size, index, block, proof })).toBe(true);
					const bad = block.slice();
					const at = flip % bad.length;
					bad[at] = (bad[at] as number) ^ 1;
					expect(verifyShardBlock({ root, shardSize: size, index, block: bad, proof })).toBe(false);
					expect(
						verifyShardBlock({ root, shardSize: size, index, block: block.subarray(1), proof }),
					).toBe(false);
				},
			),
			{ numRuns: 40 },
		);
	});
});
