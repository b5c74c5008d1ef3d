// RFC 6962 hashing on Node's native SHA-256 (node:crypto), for the storage node and callers that
// verify whole shards: the same bytes as crypto/merkle's pure default, ~7× faster on this
// machine (1.8 GB/s vs 0.23 GB/s), which keeps Merkle checks off the transfer's critical path.
// `ShardRootHasher` computes the same root incrementally, from bytes as they arrive in chunks of
// any size, so a transfer's root is ready when its last byte lands; it never copies the data.
import { createHash, type Hash, hash } from "node:crypto";
import {
	MERKLE_BLOCK_SIZE,
	type MerkleHasher,
	rootFromLeafHashes,
	shardRoot,
} from "../../crypto/merkle";

const LEAF = Uint8Array.of(0x00);
const NODE = Uint8Array.of(0x01);

function digest(parts: Uint8Array[]): Uint8Array {
	const hash = createHash("sha256");
	for (const part of parts) hash.update(part);
	const out = hash.digest();
	return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** An interior node's input, 0x01 ‖ left ‖ right, assembled in one reused buffer. */
const childrenInput = new Uint8Array(1 + 2 * 32);
childrenInput[0] = 0x01;

/**
 * An interior node's hash in one call over a reused buffer: a shard's 255 interior nodes cost
 * 0.34 ms instead of 0.45–0.57 ms with a hash object and three updates each.
 */
function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
	if (left.length !== 32 || right.length !== 32) return digest([NODE, left, right]);
	childrenInput.set(left, 1);
	childrenInput.set(right, 33);
	const out = hash("sha256", childrenInput, "buffer");
	return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** RFC 6962 hasher on node:crypto SHA-256. */
export const nativeMerkleHasher: MerkleHasher = {
	leaf: (leaf) => digest([LEAF, leaf]),
	children: hashChildren,
};

/** A shard's Merkle root, computed with the native hasher. */
export function nativeShardRoot(shard: Uint8Array): Uint8Array {
	return shardRoot(shard, nativeMerkleHasher);
}

/**
 * Incremental shard root: feed the shard's bytes in order, in chunks of any size, then call
 * `digest()` once. Gives exactly `shardRoot(allBytes)`.
 * @example const h = new ShardRootHasher(); for (const c of chunks) h.update(c); h.digest()
 */
export class ShardRootHasher {
	/**
	 * The perfect subtrees of the leaves so far, largest first, one per set bit of the leaf
	 * count (as a binary counter carries): their interior nodes are hashed as leaves close, so
	 * `digest` after the last byte only joins the few left (RFC 6962 splits a tree at its
	 * largest power of two, so the root is these subtrees folded from the right).
	 */
	private readonly subtrees: { hash: Uint8Array; leaves: number }[] = [];
	private leafCount = 0;
	private leaf: Hash | null = null;
	private inLeaf = 0;
	private total = 0;

	/** Bytes fed so far. */
	get byteLength(): number {
		return this.total;
	}

	/** Feeds the next bytes of the shard. */
	update(chunk: Uint8Array): void {
		let offset = 0;
		this.total += chunk.length;
		while (offset < chunk.length) {
			if (this.leaf === null) {
				this.leaf = createHash("sha256").update(LEAF);
				this.inLeaf = 0;
			}
			const take = Math.min(MERKLE_BLOCK_SIZE - this.inLeaf, chunk.length - offset);
			this.leaf.update(
				offset === 0 && take === chunk.length ? chunk : chunk.subarray(offset, offset + take),
			);
			this.inLeaf += take;
			offset += take;
			if (this.inLeaf === MERKLE_BLOCK_SIZE) this.closeLeaf();
		}
	}

	private closeLeaf(): void {
		if (this.leaf === null) return;
		const out = this.leaf.digest();
		this.leaf = null;
		this.leafCount++;
		let hash: Uint8Array = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
		let leaves = 1;
		// Two subtrees of the same size join, as a binary counter carries.
		for (let last = this.subtrees.at(-1); last?.leaves === leaves; last = this.subtrees.at(-1)) {
			this.subtrees.pop();
			hash = hashChildren(last.hash, hash);
			leaves *= 2;
		}
		this.subtrees.push({ hash, leaves });
	}

	/** The root of every byte fed. */
	digest(): Uint8Array {
		this.closeLeaf();
		if (this.leafCount === 0) return rootFromLeafHashes([], nativeMerkleHasher);
		let root = this.subtrees.at(-1)?.hash as Uint8Array;
		for (let i = this.subtrees.length - 2; i >= 0; i--) {
			root = hashChildren((this.subtrees[i] as { hash: Uint8Array }).hash, root);
		}
		return root;
	}
}
