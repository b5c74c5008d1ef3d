// Downloading files in the browser (DESIGN §4–5): the manifest is opened and checked (sealed
// under the file's NodeKey, bound to file and version, signed by its author); for each chunk, k
// shards are fetched in one request — the data shards first, so no decoding is needed when all
// answer — each checked against its Merkle root, a failed or lying source replaced by the next
// stored shard, asked for alone; the chunk is rebuilt, checked against its address and opened.
// The checks and the opening run in a worker (chunk-opener.ts), the page only fetches and
// streams. The plaintext comes out as a pull stream with the next two chunks fetched while this
// one is read: about three chunks in memory whatever the file's size. Any failed check ends the
// stream with an error — never with wrong bytes.
import { deriveContentKey, fromBase64url, type SigningPublicKey } from "../../crypto";
import { shardLengthFor } from "../../p2p/erasure";
import type { ApiClient } from "../api";
import { BufferPool } from "./buffer-pool";
import { type ChunkOpener, startChunkOpener } from "./chunk-opener";
import type { VaultItem } from "./folder-tree";
import { type Manifest, openManifest } from "./manifest";
import { readBodyInto } from "./read-body";
import { readShardFrames } from "./shard-frames";
import { TransferError, type TransferProgress } from "./transfer-settings";

export type FileVersionInfo = Awaited<ReturnType<ApiClient["files"]["versions"]["query"]>>[number];

/**
 * How the shards are read: as the owner (default), as the recipient of a share, or through a
 * link (with a fresh proof of the link's keys per request; see crypto/sharing link-access).
 */
export type DownloadAccess =
	| { via: "owner" }
	| { via: "share"; shareId: string }
	| { via: "link"; linkId: string; proof: () => string };

/** Header the link proof travels in (server/services/sharing/links LINK_PROOF_HEADER). */
const LINK_PROOF_HEADER = "x-coffre-link-proof";

function shardRequest(
	access: DownloadAccess,
	versionId: string,
	chunkIndex: number,
	shardIndex: number,
): { url: string; headers: Record<string, string> } {
	const path = `/api/chunks/${versionId}/${chunkIndex}/${shardIndex}`;
	if (access.via === "share") return { url: `${path}?share=${access.shareId}`, headers: {} };
	if (access.via === "link")
		return {
			url: `${path}?link=${access.linkId}`,
			headers: { [LINK_PROOF_HEADER]: access.proof() },
		};
	return { url: path, headers: {} };
}

/** Where one request asks for the listed shards of one chunk (server: ../../app/api/chunks). */
function chunkRequest(
	access: DownloadAccess,
	versionId: string,
	chunkIndex: number,
	shardIndices: readonly number[],
): { url: string; headers: Record<string, string> } {
	const path = `/api/chunks/${versionId}/${chunkIndex}?shards=${shardIndices.join(",")}`;
	if (access.via === "share") return { url: `${path}&share=${access.shareId}`, headers: {} };
	if (access.via === "link")
		return {
			url: `${path}&link=${access.linkId}`,
			headers: { [LINK_PROOF_HEADER]: access.proof() },
		};
	return { url: path, headers: {} };
}

/**
 * Answers to a chunk request that concern the whole request — malformed, not signed in (the
 * session ended), not allowed, no such version for this reader — which no shard asked for alone
 * would change.
 */
const REQUEST_REFUSALS = new Set([400, 401, 403, 404]);

/** The gateway's own message for a refused request, or a plain one. */
async function refusalMessage(response: Response): Promise<string> {
	const body = (await response.json().catch(() => null)) as {
		error?: { message?: unknown };
	} | null;
	const message = body?.error?.message;
	return typeof message === "string" && message.length > 0 && message.length <= 300
		? message
		: `The server refused to send this file (${response.status}).`;
}

/** Chunks whose shards are fetched ahead of the one being read (memory: n/k × this × chunk). */
const PREFETCH_CHUNKS = 2;

/** What a download needs of the file: its id and its NodeKey (from the vault or a share). */
export type DownloadItem = Pick<VaultItem, "id" | "key">;

/** A verified version ready to stream. */
export interface VersionStream {
	/** Plaintext size in bytes. */
	size: number;
	stream: ReadableStream<Uint8Array<ArrayBuffer>>;
}

/**
 * One shard of `size` bytes read into a buffer from `pool` and checked against its root by the
 * worker; the buffer goes back to the pool unless the shard is returned.
 */
async function fetchValidShard(
	{ url, headers }: { url: string; headers: Record<string, string> },
	root: string,
	size: number,
	pool: BufferPool,
	opener: ChunkOpener,
	signal?: AbortSignal,
): Promise<Uint8Array<ArrayBuffer> | "unavailable" | "altered"> {
	const response = await fetch(url, { credentials: "same-origin", headers, signal }).catch(
		(error: unknown) => {
			if ((error as { name?: string }).name === "AbortError") throw error;
			return null;
		},
	);
	if (!response?.ok || !response.body) return "unavailable";
	const read = await readBodyInto(response.body, pool.take(size)).catch(() => null);
	if (!read) return "unavailable";
	// A body of another length cannot hash to the shard's root.
	if ("wrongLength" in read) return "altered";
	// Never trust the gateway or a node: the shard must hash to the root the manifest names.
	const { shard, valid } = await opener.verify(read.bytes, root);
	if (valid) return shard;
	pool.give(shard);
	return "altered";
}

/**
 * The listed shards of one chunk in one request, each read into a buffer from `pool` and
 * checked against its root by the worker as soon as it arrived: the valid ones by shard index,
 * how many came back altered, and the shards the answer did not get to (the request failed or
 * its body broke off), which are worth asking for again one by one. A shard the gateway said it
 * could not get is in none of these. A request refused as a whole (REQUEST_REFUSALS) ends the
 * download with the server's reason.
 */
async function fetchShardBatch(
	request: { url: string; headers: Record<string, string> },
	shardIndices: readonly number[],
	roots: readonly string[],
	size: number,
	pool: BufferPool,
	opener: ChunkOpener,
	signal?: AbortSignal,
): Promise<{ valid: Map<number, Uint8Array<ArrayBuffer>>; altered: number; notRead: number[] }> {
	const valid = new Map<number, Uint8Array<ArrayBuffer>>();
	let altered = 0;
	const notRead: number[] = [];
	const response = await fetch(request.url, {
		credentials: "same-origin",
		headers: request.headers,
		signal,
	}).catch((error: unknown) => {
		if ((error as { name?: string }).name === "AbortError") throw error;
		return null;
	});
	if (response && REQUEST_REFUSALS.has(response.status))
		throw new TransferError(await refusalMessage(response));
	if (!response?.ok || !response.body) return { valid, altered, notRead: [...shardIndices] };
	const checks: Promise<void>[] = [];
	await readShardFrames(
		response.body,
		shardIndices.length,
		size,
		() => pool.take(size),
		(position, framed) => {
			const shardIndex = shardIndices[position] as number;
			if ("wrongLength" in framed) altered++;
			if ("notRead" in framed) notRead.push(shardIndex);
			if (!("shard" in framed)) return;
			// Never trust the gateway or a node: the shard must hash to the root the manifest names.
			checks.push(
				opener.verify(framed.shard, roots[shardIndex] ?? "").then(({ shard, valid: ok }) => {
					if (ok) valid.set(shardIndex, shard);
					else {
						pool.give(shard);
						altered++;
					}
				}),
			);
		},
	);
	await Promise.all(checks);
	signal?.throwIfAborted();
	return { valid, altered, notRead };
}

/**
 * k valid shards of chunk `index`: the first k stored ones (data shards first) in one request,
 * then, for each that did not come back valid, the next stored shard not tried yet — k requests
 * at a time, one shard each, starting with those the first request did not get to.
 */
async function fetchChunkShards(
	manifest: Manifest,
	version: FileVersionInfo,
	access: DownloadAccess,
	index: number,
	pool: BufferPool,
	opener: ChunkOpener,
	signal?: AbortSignal,
): Promise<(Uint8Array<ArrayBuffer> | null)[]> {
	const chunk = manifest.chunks[index];
	if (!chunk) throw new TransferError("A chunk of this file is missing from its manifest.");
	const shardSize = shardLengthFor(chunk.sealedSize, manifest.dataShards);
	const shards: (Uint8Array<ArrayBuffer> | null)[] = Array.from(
		{ length: manifest.dataShards + manifest.parityShards },
		() => null,
	);
	// The server's list of stored shards is a hint: out-of-range and repeated entries are dropped.
	const candidates = [
		...new Set(
			version.storedShards
				.filter((shard) => shard.chunkIndex === index)
				.map((shard) => shard.shardIndex)
				.filter((shardIndex) => Number.isInteger(shardIndex))
				.filter((shardIndex) => shardIndex >= 0 && shardIndex < shards.length),
		),
	].sort((a, b) => a - b);
	let valid = 0;
	let fetching = 0;
	let altered = 0;
	const asked = candidates.splice(0, manifest.dataShards);
	if (asked.length > 0) {
		const batch = await fetchShardBatch(
			chunkRequest(access, version.id, index, asked),
			asked,
			chunk.shardRoots,
			shardSize,
			pool,
			opener,
			signal,
		);
		for (const [shardIndex, shard] of batch.valid) shards[shardIndex] = shard;
		valid += batch.valid.size;
		altered += batch.altered;
		// A request that failed or broke off (a dropped connection, a gateway restarting) costs
		// its shards one more try each, before the parity shards.
		candidates.unshift(...batch.notRead);
	}
	// Each of k lanes asks for one more shard only while the valid ones and those on the way
	// are still fewer than k: a lane done early must not fetch a shard no one needs.
	const next = async (): Promise<void> => {
		while (valid + fetching < manifest.dataShards) {
			const shardIndex = candidates.shift();
			if (shardIndex === undefined) return;
			fetching++;
			const shard = await fetchValidShard(
				shardRequest(access, version.id, index, shardIndex),
				chunk.shardRoots[shardIndex] ?? "",
				shardSize,
				pool,
				opener,
				signal,
			).finally(() => fetching--);
			if (shard === "altered") altered++;
			else if (shard !== "unavailable") {
				shards[shardIndex] = shard;
				valid++;
			}
		}
	};
	await Promise.all(Array.from({ length: manifest.dataShards }, next));
	if (valid < manifest.dataShards && altered > 0) {
		throw new TransferError(
			"The storage network returned data that does not belong to this file: it was altered or swapped on the way. Nothing wrong was saved.",
		);
	}
	if (valid < manifest.dataShards) {
		throw new TransferError(
			"Not enough storage nodes answered with valid data for this file. Please try again later.",
		);
	}
	return shards;
}

export interface DownloadOptions {
	onProgress?: (progress: TransferProgress) => void;
	signal?: AbortSignal;
	access?: DownloadAccess;
}

/**
 * Opens one version as a stream of verified plaintext. The manifest is checked before this
 * returns, so a swapped, replayed or forged manifest fails here, before any byte is delivered.
 */
export async function openVersionStream(
	item: DownloadItem,
	version: FileVersionInfo,
	authorKey: SigningPublicKey,
	options: DownloadOptions = {},
): Promise<VersionStream> {
	try {
		return await openVerified(item, version, authorKey, options);
	} catch (error) {
		throw asTransferError(error);
	}
}

/**
 * A failed check becomes one readable TransferError; the typed cause is kept for whoever needs
 * it. Cancellations and transfer errors pass through.
 */
function asTransferError(error: unknown): unknown {
	const name = (error as { name?: string }).name;
	if (name === "TransferError" || name === "AbortError") return error;
	return new TransferError(
		name === "ManifestError"
			? "This file's manifest does not verify: the server returned a manifest that is not this version's. Nothing was saved."
			: "This file failed its integrity check: the data returned does not match what was uploaded. Nothing was saved.",
		{ cause: error },
	);
}

async function openVerified(
	item: DownloadItem,
	version: FileVersionInfo,
	authorKey: SigningPublicKey,
	{ onProgress, signal, access = { via: "owner" } }: DownloadOptions,
): Promise<VersionStream> {
	const manifest = openManifest(fromBase64url(version.sealedManifest), item.key, {
		fileId: item.id,
		versionId: version.id,
		authorKey,
	});
	const contentKey = deriveContentKey(item.key, version.id);
	const keyBytes = contentKey.exportBytes();
	contentKey.wipe();
	const opener = await startChunkOpener({
		contentKey: keyBytes,
		header: fromBase64url(manifest.header),
		fileId: item.id,
		versionId: version.id,
		dataShards: manifest.dataShards,
		parityShards: manifest.parityShards,
	});
	if (opener.chunkCount !== manifest.chunks.length || opener.totalSize !== manifest.size) {
		opener.close();
		throw new TransferError("This file's manifest does not match its contents.");
	}
	const cancel = new AbortController();
	const stop = AbortSignal.any([cancel.signal, ...(signal ? [signal] : [])]);
	// A download cancelled while no one is reading its stream still ends its worker.
	stop.addEventListener("abort", () => opener.close(), { once: true });
	// Shards reuse the same few buffers: those of the chunks in flight and of the one being
	// opened are all there is (they go to the worker and come back).
	const pool = new BufferPool((PREFETCH_CHUNKS + 1) * manifest.dataShards + 1);
	const fetchChunk = (index: number) =>
		fetchChunkShards(manifest, version, access, index, pool, opener, stop);
	let index = 0;
	let done = 0;
	// Shards of the next chunks are fetched while this one is rebuilt, opened and written.
	const ahead: Promise<(Uint8Array<ArrayBuffer> | null)[]>[] = [];
	let fetched = 0;
	const fetchAhead = () => {
		while (fetched < manifest.chunks.length && ahead.length < PREFETCH_CHUNKS) {
			const pending = fetchChunk(fetched++);
			// An unread prefetch that fails must not surface as an unhandled rejection.
			pending.catch(() => {});
			ahead.push(pending);
		}
	};
	onProgress?.({ done, total: manifest.size });
	const stream = new ReadableStream<Uint8Array<ArrayBuffer>>(
		{
			async pull(controller) {
				if (index >= manifest.chunks.length) {
					opener.close();
					controller.close();
					return;
				}
				try {
					const chunk = manifest.chunks[index] as Manifest["chunks"][number];
					fetchAhead();
					const shards = await (ahead.shift() as Promise<(Uint8Array<ArrayBuffer> | null)[]>);
					fetchAhead();
					const opened = await opener.open(index, shards, {
						sealedSize: chunk.sealedSize,
						address: chunk.address,
					});
					for (const shard of opened.shards) if (shard) pool.give(shard);
					index++;
					done += opened.plaintext.length;
					onProgress?.({ done, total: manifest.size });
					controller.enqueue(opened.plaintext);
				} catch (error) {
					cancel.abort(error);
					opener.close();
					throw asTransferError(error);
				}
			},
			cancel(reason) {
				cancel.abort(reason);
				opener.close();
			},
		},
		new CountQueuingStrategy({ highWaterMark: 1 }),
	);
	return { size: manifest.size, stream };
}

/** Downloads and opens one version whole, as a Blob (for small files and old browsers). */
export async function downloadVersion(
	item: DownloadItem,
	version: FileVersionInfo,
	authorKey: SigningPublicKey,
	options: DownloadOptions = {},
): Promise<Blob> {
	const { stream } = await openVersionStream(item, version, authorKey, options);
	return new Response(stream).blob();
}
