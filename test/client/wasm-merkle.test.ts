// The upload worker's WebAssembly Merkle hasher: the published RFC 6962 leaf hashes and roots,
// and the same shard root as crypto/merkle's pure hasher at every size edge.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { wasmMerkleHasher, wasmShardRoot } from "../../client/vault/wasm-merkle";
import { hashChildren, rootFromLeafHashes } from "../../crypto/merkle";
import { expectPureRootsAtSizeEdges } from "../helpers/shard-root-edges";

const vectors = JSON.parse(
	readFileSync(join(import.meta.dirname, "../vectors/merkle/rfc6962-reference.json"), "utf8"),
) as { leaves: string[]; leafHashes: string[]; rootsBySize: string[] };
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("wasmMerkleHasher", () => {
	it("gives the published leaf hashes and the root of every tree size 1..8", async () => {
		const hasher = await wasmMerkleHasher();
		const leafHashes = vectors.leaves.map((leaf) => hasher.leaf(hex(leaf)));
		expect(leafHashes.map(toHex)).toEqual(vectors.leafHashes);
		for (let size = 1; size <= 8; size++) {
			expect(toHex(rootFromLeafHashes(leafHashes.slice(0, size), hasher)), `size ${size}`).toBe(
				vectors.rootsBySize[size - 1],
			);
		}
	});

	it("hashes interior nodes of any child length as 0x01 ‖ left ‖ right", async () => {
		const hasher = await wasmMerkleHasher();
		const pure = { left: new Uint8Array(32).fill(1), right: new Uint8Array(32).fill(2) };
		expect(toHex(hasher.children(pure.left, pure.right))).toBe(
			toHex(hashChildren(pure.left, pure.right)),
		);
		const odd = [Uint8Array.of(1, 2, 3), new Uint8Array(40).fill(9)] as const;
		expect(toHex(hasher.children(...odd))).toBe(toHex(hashChildren(...odd)));
	});

	it("gives the same shard root as the pure hasher at every size edge", async () => {
		await expectPureRootsAtSizeEdges(wasmShardRoot);
	});
});
