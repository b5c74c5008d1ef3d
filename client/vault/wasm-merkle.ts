// RFC 6962 shard roots on hash-wasm's SHA-256 (WebAssembly), for the upload worker and the
// download's opening worker (open-worker.ts): the same roots as crypto/merkle's pure hasher,
// computed with no garbage the engine is slow to free. WebCrypto's digest is faster here (one
// call per 16 KiB leaf: 0.65–1.0 GB/s against 0.3–0.35 GB/s), but each call leaves a promise,
// a result object and a 32-byte buffer owned by the browser, which only a full collection
// frees: a 4 MiB chunk's 384 leaves left about 0.4 MiB of them, and the upload worker held
// 25 MiB and more of such garbage between its collections (with as much again in allocator
// memory); checking a download's shards with WebCrypto in its worker grew the page's process
// by +67 MiB over a 256 MiB download, against +49 MiB on this hasher (vault bench, same time).
// A shard's leaves cost ~3 ms more here per MiB than with WebCrypto. Where WebAssembly is not
// available (Safari's Lockdown Mode, a site whose JavaScript optimizer the browser turned off)
// the roots come from WebCrypto as before: same bytes, more garbage.
import { createSHA256, type IHasher } from "hash-wasm";
import { type MerkleHasher, shardRoot, shardRootWebCrypto } from "../../crypto/merkle";

const LEAF = Uint8Array.of(0x00);
const NODE = Uint8Array.of(0x01);

let hasher: Promise<MerkleHasher | null> | undefined;

/**
 * The WebAssembly SHA-256 RFC 6962 hasher (compiled on first use, then shared), or null where
 * this browser runs no WebAssembly.
 */
export function wasmMerkleHasher(): Promise<MerkleHasher | null> {
	hasher ??= createSHA256().then(merkleHasherOn, () => null);
	return hasher;
}

function merkleHasherOn(hash: IHasher): MerkleHasher {
	// An interior node's input, 0x01 ‖ left ‖ right, assembled in one reused buffer.
	const childrenInput = new Uint8Array(1 + 2 * 32);
	childrenInput[0] = 0x01;
	return {
		leaf(leaf) {
			hash.init();
			hash.update(LEAF);
			hash.update(leaf);
			return hash.digest("binary");
		},
		children(left, right) {
			hash.init();
			if (left.length === 32 && right.length === 32) {
				childrenInput.set(left, 1);
				childrenInput.set(right, 33);
				hash.update(childrenInput);
			} else {
				hash.update(NODE);
				hash.update(left);
				hash.update(right);
			}
			return hash.digest("binary");
		},
	};
}

/** Each shard's Merkle root: on the WebAssembly hasher, or on WebCrypto where there is none. */
export async function shardRoots(shards: readonly Uint8Array[]): Promise<Uint8Array[]> {
	const wasm = await wasmMerkleHasher();
	if (wasm) return shards.map((shard) => shardRoot(shard, wasm));
	return Promise.all(shards.map((shard) => shardRootWebCrypto(shard)));
}
