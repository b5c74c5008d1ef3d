// The upload worker's shard roots: the WebAssembly hasher gives the published RFC 6962 leaf
// hashes and roots and the pure hasher's shard roots at every size edge; a browser without
// WebAssembly (its global is absent, as in Safari's Lockdown Mode or with the JavaScript
// optimizer turned off) gets the same roots through WebCrypto.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { shardRoots, wasmMerkleHasher } from "../../client/vault/wasm-merkle";
import {
	hashChildren,
	type MerkleHasher,
	rootFromLeafHashes,
	shardRoot,
} from "../../crypto/merkle";
import { expectPureRootsAtSizeEdges } from "../helpers/shard-root-edges";

const vectors = JSON.parse(
	readFileSync(join(import.meta.dirname, "../vectors/merkle/rfc6962-reference.json"), "utf8"),
) as { leaves: string[]; leafHashes: string[]; rootsBySize: string[] };
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");

async function theWasmHasher(): Promise<MerkleHasher> {
	const hasher = await wasmMerkleHasher();
	if (!hasher) throw new Error("WebAssembly runs here: the hasher must exist");
	return hasher;
}

describe("wasmMerkleHasher", () => {
	it("gives the published leaf hashes and the root of every tree size 1..8", async () => {
		const hasher = await theWasmHasher();
		const leafHashes = vectors.leaves.map((leaf) => hasher.leaf(hex(leaf)));
		expect(leafHashes.map(toHex)).toEqual(vectors.leafHashes);
		for (let size = 1; size <= 8; size++) {
			expect(toHex(rootFromLeafHashes(leafHashes.slice(0, size), hasher)), `size ${size}`).toBe(
				vectors.rootsBySize[size - 1],
			);
		}
	});

	it("hashes interior nodes of any child length as 0x01 ‖ left ‖ right", async () => {
		const hasher = await theWasmHasher();
		const left = new Uint8Array(32).fill(1);
		const right = new Uint8Array(32).fill(2);
		expect(toHex(hasher.children(left, right))).toBe(toHex(hashChildren(left, right)));
		const odd = [Uint8Array.of(1, 2, 3), new Uint8Array(40).fill(9)] as const;
		expect(toHex(hasher.children(...odd))).toBe(toHex(hashChildren(...odd)));
	});

	it("gives the same shard root as the pure hasher at every size edge", async () => {
		await expectPureRootsAtSizeEdges(async (shard) => (await shardRoots([shard]))[0] as Uint8Array);
	});
});

describe("shardRoots without WebAssembly", () => {
	it("has no WebAssembly hasher, and gives the same roots through WebCrypto", async () => {
		const webAssembly = Object.getOwnPropertyDescriptor(globalThis, "WebAssembly");
		vi.resetModules();
		Reflect.deleteProperty(globalThis, "WebAssembly");
		try {
			const fresh = await import("../../client/vault/wasm-merkle");
			expect(await fresh.wasmMerkleHasher()).toBeNull();
			const shards = [0, 1, 16_384 * 3 + 5, 1_048_576].map((size) =>
				new Uint8Array(size).map((_, i) => (i * 13 + size) & 0xff),
			);
			const roots = await fresh.shardRoots(shards);
			expect(roots.map(toHex)).toEqual(shards.map((shard) => toHex(shardRoot(shard))));
		} finally {
			if (webAssembly) Object.defineProperty(globalThis, "WebAssembly", webAssembly);
			vi.resetModules();
		}
	});
});
