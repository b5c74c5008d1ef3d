// The download worker's checks and opening (client/vault/chunk-opening.ts), with real sealing,
// erasure coding and Merkle roots: a chunk opens from its data shards or from parity, and every
// way of handing it wrong bytes or a wrong description fails instead of giving plaintext.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
	buffersOf,
	ChunkOpening,
	type OpeningParams,
	shardMatchesRoot,
} from "../../client/vault/chunk-opening";
import { chunkAddress } from "../../client/vault/manifest";
import { createStreamSealer, importSecretKey, toBase64url } from "../../crypto";
import { shardRootWebCrypto } from "../../crypto/merkle";
import { createErasureCoder, splitIntoShards } from "../../p2p/erasure";

const ids = { fileId: "file-1", versionId: "ver-1" };
const CHUNK = 64 * 1024;
const K = 4;

/** The k data shards in their slots, parity slots empty: what a download fetches first. */
function dataSlots(shards: Uint8Array[]): (Uint8Array | null)[] {
	return shards.map((shard, i) => (i < K ? shard : null));
}

/** A copy of `bytes` with bit `mask` of byte `at` flipped. */
function flipped(bytes: Uint8Array, at: number, mask = 1): Uint8Array {
	const copy = bytes.slice();
	copy[at] = (copy[at] as number) ^ mask;
	return copy;
}
const M = 2;

/** A two-chunk version sealed and coded as an upload does it. */
async function sealedVersion() {
	const keyBytes = crypto.getRandomValues(new Uint8Array(32));
	const plaintext = new Uint8Array(randomBytes(CHUNK + 1000));
	const sealer = await createStreamSealer(importSecretKey("ContentKey", keyBytes.slice()), {
		...ids,
		totalSize: plaintext.length,
		chunkSize: CHUNK,
	});
	const coder = createErasureCoder({ dataShards: K, parityShards: M });
	const chunks = [];
	for (let index = 0; index < sealer.chunkCount; index++) {
		const part = plaintext.subarray(index * CHUNK, (index + 1) * CHUNK);
		const sealed = await sealer.sealChunk(index, part);
		const data = splitIntoShards(sealed, K).map((shard) => shard.slice());
		const shards = [...data, ...coder.encode(data)];
		chunks.push({
			plaintext: part,
			shards,
			roots: await Promise.all(shards.map(async (s) => toBase64url(await shardRootWebCrypto(s)))),
			description: { sealedSize: sealed.length, address: await chunkAddress(sealed) },
		});
	}
	const params = (): OpeningParams => ({
		contentKey: keyBytes.slice(),
		header: sealer.header,
		...ids,
		dataShards: K,
		parityShards: M,
	});
	return { params, chunks, totalSize: plaintext.length };
}

describe("chunk opening", () => {
	it("opens every chunk from its data shards and wipes the key bytes it was given", async () => {
		const { params, chunks, totalSize } = await sealedVersion();
		const given = params();
		const opening = await ChunkOpening.create(given);
		expect(given.contentKey.every((byte) => byte === 0)).toBe(true);
		expect(opening.chunkCount).toBe(2);
		expect(opening.totalSize).toBe(totalSize);
		// Out of order on purpose: the page may open any chunk whose shards arrived.
		for (const index of [1, 0]) {
			const chunk = chunks[index] as (typeof chunks)[number];
			const plaintext = await opening.open(index, dataSlots(chunk.shards), chunk.description);
			expect(plaintext).toEqual(chunk.plaintext);
		}
	});

	it("rebuilds a chunk from parity when data shards are missing", async () => {
		const { params, chunks } = await sealedVersion();
		const opening = await ChunkOpening.create(params());
		const chunk = chunks[0] as (typeof chunks)[number];
		const shards = chunk.shards.map((shard, i) => (i === 0 || i === 2 ? null : shard));
		expect(await opening.open(0, shards, chunk.description)).toEqual(chunk.plaintext);
	});

	it("refuses a chunk whose bytes or description are not the manifest's", async () => {
		const { params, chunks } = await sealedVersion();
		const opening = await ChunkOpening.create(params());
		const [first, second] = chunks as [(typeof chunks)[number], (typeof chunks)[number]];
		// Another chunk's address: the rebuilt bytes do not hash to it.
		await expect(
			opening.open(0, dataSlots(first.shards), second.description),
		).rejects.toMatchObject({ name: "TransferError" });
		// One flipped byte in a data shard (a shard that skipped its root check).
		const altered = dataSlots(
			first.shards.map((shard, i) => (i === 1 ? flipped(shard, 5) : shard)),
		);
		await expect(opening.open(0, altered, first.description)).rejects.toMatchObject({
			name: "TransferError",
		});
		// The right bytes under the wrong index: the sealed stream binds each chunk to its place.
		await expect(opening.open(1, dataSlots(first.shards), first.description)).rejects.toThrow();
	});

	it("refuses a header sealed for another version or under another key", async () => {
		const { params } = await sealedVersion();
		await expect(ChunkOpening.create({ ...params(), versionId: "ver-2" })).rejects.toThrow();
		const wrongKey = { ...params(), contentKey: crypto.getRandomValues(new Uint8Array(32)) };
		await expect(ChunkOpening.create(wrongKey)).rejects.toThrow();
	});

	it("checks shards against their roots", async () => {
		const { chunks } = await sealedVersion();
		const chunk = chunks[0] as (typeof chunks)[number];
		const shard = chunk.shards[4] as Uint8Array;
		expect(await shardMatchesRoot(shard, chunk.roots[4] as string)).toBe(true);
		expect(await shardMatchesRoot(shard, chunk.roots[3] as string)).toBe(false);
		const last = flipped(shard, shard.length - 1, 0x80);
		expect(await shardMatchesRoot(last, chunk.roots[4] as string)).toBe(false);
	});

	it("lists each buffer to move once, skipping missing shards", () => {
		const one = new ArrayBuffer(16);
		const other = new ArrayBuffer(8);
		const views = [
			new Uint8Array(one, 0, 8),
			null,
			new Uint8Array(one, 8, 8),
			new Uint8Array(other),
		];
		expect(buffersOf(views)).toEqual([one, other]);
	});
});
