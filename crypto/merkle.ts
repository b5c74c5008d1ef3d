// Binary SHA-256 Merkle trees as RFC 6962 §2.1 defines them (leaf prefix 0x00, node prefix 0x01,
// split at the largest power of two smaller than n), and the shard addresses of DESIGN §4 built
// on them: a shard's address is the root of the tree over its 16 KiB blocks, so one block and
// its inclusion proof can be audited against the root. Pure: only @noble/hashes, no I/O.
// It never accepts a proof whose shape does not match the tree size (RFC 9162 §2.1.3.2).
import { sha256 } from "@noble/hashes/sha2.js";

/** Size of one audited block of a shard (DESIGN §4). The last block may be shorter. */
export const MERKLE_BLOCK_SIZE = 16_384;
/** Length of every hash in the tree. */
export const MERKLE_HASH_SIZE = 32;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/**
 * The two RFC 6962 hashes. The default is @noble/hashes SHA-256 (pure, runs anywhere); a Node
 * process may pass one backed by its native SHA-256 (several times faster on large shards) —
 * it must compute exactly the same SHA-256(0x00 ‖ leaf) and SHA-256(0x01 ‖ left ‖ right).
 */
export interface MerkleHasher {
	leaf(leaf: Uint8Array): Uint8Array;
	children(left: Uint8Array, right: Uint8Array): Uint8Array;
}

/** A leaf index, tree size or proof that cannot describe a valid tree. */
export class MerkleInputError extends Error {
	override name = "MerkleInputError";
}

/** RFC 6962 leaf hash: SHA-256(0x00 ‖ leaf). */
export function hashLeaf(leaf: Uint8Array): Uint8Array {
	return sha256.create().update(LEAF_PREFIX).update(leaf).digest();
}

/** RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
	return sha256.create().update(NODE_PREFIX).update(left).update(right).digest();
}

/** The pure @noble/hashes RFC 6962 hasher. */
export const nobleMerkleHasher: MerkleHasher = { leaf: hashLeaf, children: hashChildren };

/** Largest power of two strictly smaller than n (n ≥ 2), the RFC 6962 split point. */
function splitPoint(n: number): number {
	let k = 1;
	while (k * 2 < n) k *= 2;
	return k;
}

function rootOfRange(
	leafHashes: readonly Uint8Array[],
	start: number,
	end: number,
	hasher: MerkleHasher = nobleMerkleHasher,
): Uint8Array {
	const n = end - start;
	if (n === 1) return leafHashes[start] as Uint8Array;
	const k = splitPoint(n);
	return hasher.children(
		rootOfRange(leafHashes, start, start + k, hasher),
		rootOfRange(leafHashes, start + k, end, hasher),
	);
}

/**
 * Merkle tree hash (RFC 6962 MTH) of already-hashed leaves. The empty tree hashes to SHA-256("").
 * @example rootFromLeafHashes(leaves.map(hashLeaf))
 */
export function rootFromLeafHashes(
	leafHashes: readonly Uint8Array[],
	hasher: MerkleHasher = nobleMerkleHasher,
): Uint8Array {
	if (leafHashes.length === 0) return sha256(new Uint8Array(0));
	return rootOfRange(leafHashes, 0, leafHashes.length, hasher);
}

/** Merkle tree hash (RFC 6962 MTH) of a list of leaf inputs. */
export function merkleTreeHash(leaves: readonly Uint8Array[]): Uint8Array {
	return rootFromLeafHashes(leaves.map(hashLeaf));
}

/**
 * Inclusion proof (RFC 6962 PATH) of leaf `index` among already-hashed leaves, from the leaf
 * upwards.
 */
export function inclusionProofFromLeafHashes(
	leafHashes: readonly Uint8Array[],
	index: number,
	hasher: MerkleHasher = nobleMerkleHasher,
): Uint8Array[] {
	if (!Number.isSafeInteger(index) || index < 0 || index >= leafHashes.length) {
		throw new MerkleInputError(`leaf index ${index} is outside a tree of ${leafHashes.length}`);
	}
	const path: Uint8Array[] = [];
	let start = 0;
	let end = leafHashes.length;
	let m = index;
	// Walk down from the root, collecting the sibling subtree roots; reversed at the end.
	while (end - start > 1) {
		const k = splitPoint(end - start);
		if (m < k) {
			path.push(rootOfRange(leafHashes, start + k, end, hasher));
			end = start + k;
		} else {
			path.push(rootOfRange(leafHashes, start, start + k, hasher));
			start += k;
			m -= k;
		}
	}
	return path.reverse();
}

/** Inclusion proof (RFC 6962 PATH) of leaf `index` among leaf inputs. */
export function inclusionProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
	return inclusionProofFromLeafHashes(leaves.map(hashLeaf), index);
}

/**
 * Root implied by a leaf hash and its inclusion proof (RFC 9162 §2.1.3.2), or null when the
 * proof has the wrong length or shape for `index` in a tree of `size` leaves.
 */
export function rootFromInclusionProof(
	index: number,
	size: number,
	leafHash: Uint8Array,
	proof: readonly Uint8Array[],
): Uint8Array | null {
	if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size)) return null;
	if (index < 0 || index >= size || leafHash.length !== MERKLE_HASH_SIZE) return null;
	// Bit tricks on numbers beyond 2^31 would be wrong; trees that big are not shards.
	if (size > 2 ** 31) return null;
	let fn = index;
	let sn = size - 1;
	let r = leafHash;
	for (const p of proof) {
		if (p.length !== MERKLE_HASH_SIZE || sn === 0) return null;
		if (fn % 2 === 1 || fn === sn) {
			r = hashChildren(p, r);
			if (fn % 2 === 0) {
				while (fn % 2 === 0 && fn !== 0) {
					fn >>>= 1;
					sn >>>= 1;
				}
			}
		} else {
			r = hashChildren(r, p);
		}
		fn >>>= 1;
		sn >>>= 1;
	}
	return sn === 0 ? r : null;
}

/** Constant-time equality of two byte strings of public length. */
function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
	return diff === 0;
}

/**
 * True when `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`.
 * @example verifyInclusion({ root, index: 5, size: 8, leafHash: hashLeaf(leaf), proof })
 */
export function verifyInclusion(args: {
	root: Uint8Array;
	index: number;
	size: number;
	leafHash: Uint8Array;
	proof: readonly Uint8Array[];
}): boolean {
	const computed = rootFromInclusionProof(args.index, args.size, args.leafHash, args.proof);
	return computed !== null && bytesEqual(computed, args.root);
}

// ---- Shards: trees over 16 KiB blocks (DESIGN §4 Addresses) ----

/** Number of 16 KiB blocks (leaves) of a shard of `byteLength` bytes; 0 for an empty shard. */
export function blockCount(byteLength: number): number {
	return Math.ceil(byteLength / MERKLE_BLOCK_SIZE);
}

/** Block `index` of a shard (a view, not a copy). */
export function shardBlock(shard: Uint8Array, index: number): Uint8Array {
	const count = blockCount(shard.length);
	if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
		throw new MerkleInputError(`block index ${index} is outside a shard of ${count} blocks`);
	}
	return shard.subarray(index * MERKLE_BLOCK_SIZE, (index + 1) * MERKLE_BLOCK_SIZE);
}

/** Leaf hashes of every block of a shard. */
export function shardLeafHashes(
	shard: Uint8Array,
	hasher: MerkleHasher = nobleMerkleHasher,
): Uint8Array[] {
	const count = blockCount(shard.length);
	const hashes = new Array<Uint8Array>(count);
	for (let i = 0; i < count; i++) hashes[i] = hasher.leaf(shardBlock(shard, i));
	return hashes;
}

/**
 * A shard's address: the Merkle root over its 16 KiB blocks.
 * @example const root = shardRoot(shardBytes) // 32 bytes
 */
export function shardRoot(shard: Uint8Array, hasher: MerkleHasher = nobleMerkleHasher): Uint8Array {
	return rootFromLeafHashes(shardLeafHashes(shard, hasher), hasher);
}

/**
 * The same address as `shardRoot`, with every block's leaf hash computed by WebCrypto's native
 * SHA-256 (all blocks at once) — several times faster than the pure default on large shards,
 * which matters in a browser moving gigabytes. The few interior hashes stay on @noble/hashes.
 */
export async function shardRootWebCrypto(shard: Uint8Array): Promise<Uint8Array> {
	const count = blockCount(shard.length);
	// One input buffer for every leaf: digest() copies its input when called (WebCrypto), so the
	// buffer may be refilled at once — a fresh one per 16 KiB block made the browser fault in
	// and zero new memory for every byte of every shard.
	const input = new Uint8Array(1 + Math.min(MERKLE_BLOCK_SIZE, shard.length)); // 0x00 ‖ block
	const digests: Promise<ArrayBuffer>[] = [];
	for (let index = 0; index < count; index++) {
		const block = shardBlock(shard, index);
		input.set(block, 1);
		digests.push(globalThis.crypto.subtle.digest("SHA-256", input.subarray(0, 1 + block.length)));
	}
	const leafHashes = (await Promise.all(digests)).map((digest) => new Uint8Array(digest));
	return rootFromLeafHashes(leafHashes);
}

/** Block `index` of a shard with its inclusion proof, as an audit answer carries them. */
export function shardBlockProof(
	shard: Uint8Array,
	index: number,
	hasher: MerkleHasher = nobleMerkleHasher,
): { block: Uint8Array; proof: Uint8Array[] } {
	const block = shardBlock(shard, index);
	return {
		block,
		proof: inclusionProofFromLeafHashes(shardLeafHashes(shard, hasher), index, hasher),
	};
}

/**
 * True when `block` is block `index` of the shard of `shardSize` bytes addressed by `root`:
 * the block has the length its position implies and its proof leads to the root.
 */
export function verifyShardBlock(args: {
	root: Uint8Array;
	shardSize: number;
	index: number;
	block: Uint8Array;
	proof: readonly Uint8Array[];
}): boolean {
	const count = blockCount(args.shardSize);
	if (!Number.isSafeInteger(args.index) || args.index < 0 || args.index >= count) return false;
	const expectedLength = Math.min(
		MERKLE_BLOCK_SIZE,
		args.shardSize - args.index * MERKLE_BLOCK_SIZE,
	);
	if (args.block.length !== expectedLength) return false;
	return verifyInclusion({
		root: args.root,
		index: args.index,
		size: count,
		leafHash: hashLeaf(args.block),
		proof: args.proof,
	});
}
