// Web Worker that does an upload's heavy work off the page's thread: sealing each chunk,
// erasure-coding it into shards, computing their Merkle roots, and sending the shards to the
// gateway. The page reads the File, asks the server for placements and decides what to send
// and when to give up; the shards themselves stay here, from coding until the page releases
// them, so they are never copied between threads. Keys arrive as bytes from the same tab and
// never leave this worker.
import {
	createStreamSealer,
	importSecretKey,
	resumeStreamSealer,
	type StreamSealer,
} from "../../crypto";
import { shardRootWebCrypto } from "../../crypto/merkle";
import { createErasureCoder, shardLengthFor, splitIntoShards } from "../../p2p/erasure";
import { BufferPool } from "./buffer-pool";
import { chunkAddress } from "./manifest";
import { promptCollection } from "./prompt-collection";

export type ChunkWorkerRequest =
	| {
			kind: "start";
			contentKey: Uint8Array;
			fileId: string;
			versionId: string;
			totalSize: number;
			chunkSize: number;
			dataShards: number;
			parityShards: number;
			/** The header of an interrupted upload, to seal its chunks again. */
			header?: Uint8Array;
	  }
	/** Seal and code chunk `index`; its shards are held here until released. */
	| { kind: "chunk"; index: number; plaintext: Uint8Array }
	/** PUT these shards of a held chunk through the gateway, in one request. */
	| { kind: "send"; index: number; shardIndices: number[] }
	/** Forget a chunk's shards (sent, or given up). */
	| { kind: "release"; index: number }
	/** Abort every request in flight. */
	| { kind: "cancel" };

export type ChunkWorkerResponse =
	| { kind: "started"; header: Uint8Array; chunkCount: number }
	| {
			kind: "chunk";
			index: number;
			address: string;
			sealedSize: number;
			shardSize: number;
			roots: Uint8Array[];
	  }
	/**
	 * The shards the gateway stored; `refused` is the gateway's first answer that trying again
	 * cannot change (signed out, not allowed, bad request) — network failures and unavailable
	 * nodes are only left out of `stored`.
	 */
	| { kind: "sent"; index: number; stored: number[]; refused?: ShardRefusal }
	/** A release or cancel was carried out. */
	| { kind: "done" }
	| { kind: "error"; message: string };

export interface ShardRefusal {
	status: number;
	/** The gateway's own message. */
	message: string;
}

/** HTTP answers to a shard upload that the same request would get again. */
const FINAL_STATUSES = new Set([400, 401, 403, 404, 409, 413]);

/** Requests carry an id; the answer to each carries the same id. */
export type ChunkWorkerMessage = { id: number; request: ChunkWorkerRequest };
export type ChunkWorkerReply = { id: number; response: ChunkWorkerResponse };

const CSRF = { "x-coffre-request": "1" };

let sealer: StreamSealer | undefined;
let coder: ReturnType<typeof createErasureCoder> | undefined;
let dataShards = 0;
let versionId = "";
/** Each coded chunk's shards, views of one buffer from `slabs`, until the page releases it. */
const held = new Map<
	number,
	{ slab: Uint8Array<ArrayBuffer>; shards: Uint8Array<ArrayBuffer>[] }
>();
/**
 * Buffers holding a chunk's n shards, reused: the page keeps SENDING_CHUNKS chunks sending and
 * one more coded (upload-file.ts), so a few are enough.
 */
const slabs = new BufferPool(4);
let inFlight = new AbortController();

const reply = (id: number, response: ChunkWorkerResponse) =>
	(self as unknown as { postMessage(message: ChunkWorkerReply): void }).postMessage({
		id,
		response,
	});

/** The gateway's answer about one shard of a chunk upload. */
interface ShardAnswer {
	shardIndex: number;
	stored: boolean;
	error?: { status?: unknown; message?: unknown };
}

/** A refusal as the person reads it, from an HTTP status and the gateway's message. */
function refusalOf(status: number, message: unknown): ShardRefusal {
	return {
		status,
		message: typeof message === "string" ? message : `The server refused the upload (${status}).`,
	};
}

/**
 * One PUT of the listed shards of a chunk, one after another in one body: which the gateway
 * stored, and its first answer that trying again cannot change. Shards it could not store for
 * now (network, unavailable node) are only left out. The body is a Blob made of the shards as
 * they are sent: a Blob is handed to the network as it is, where a typed-array body costs
 * Chromium's sending thread far more (about 40 % more CPU without dev tools, tenfold with them).
 * Made now and kept nowhere, its wrapper is young garbage at once, so the browser's copy of the
 * bytes goes when the request ends instead of waiting for a full collection.
 */
async function sendShards(
	index: number,
	shardIndices: number[],
	shards: Uint8Array<ArrayBuffer>[],
	signal: AbortSignal,
): Promise<{ stored: number[]; refused?: ShardRefusal }> {
	const listed = shardIndices.filter((shardIndex) => shards[shardIndex] !== undefined);
	if (listed.length === 0) return { stored: [] };
	const response = await fetch(`/api/chunks/${versionId}/${index}?shards=${listed.join(",")}`, {
		method: "PUT",
		// The Blob copies the shards' bytes when made (their buffer is reused after release).
		body: new Blob(listed.map((shardIndex) => shards[shardIndex] as Uint8Array<ArrayBuffer>)),
		headers: CSRF,
		credentials: "same-origin",
		signal,
	}).catch(() => null);
	// The answer is read to the end so the connection can serve the next request.
	const answer = (await response?.json().catch(() => null)) as {
		shards?: ShardAnswer[];
		error?: { message?: unknown };
	} | null;
	if (!response) return { stored: [] };
	if (!response.ok) {
		return FINAL_STATUSES.has(response.status)
			? { stored: [], refused: refusalOf(response.status, answer?.error?.message) }
			: { stored: [] };
	}
	const stored: number[] = [];
	let refused: ShardRefusal | undefined;
	for (const shard of answer?.shards ?? []) {
		if (!listed.includes(shard.shardIndex)) continue;
		if (shard.stored) stored.push(shard.shardIndex);
		else {
			const status = typeof shard.error?.status === "number" ? shard.error.status : 500;
			if (FINAL_STATUSES.has(status)) refused ??= refusalOf(status, shard.error?.message);
		}
	}
	return { stored: stored.sort((a, b) => a - b), ...(refused ? { refused } : {}) };
}

async function handle(request: ChunkWorkerRequest): Promise<ChunkWorkerResponse> {
	if (request.kind === "start") {
		const key = importSecretKey("ContentKey", request.contentKey);
		request.contentKey.fill(0);
		sealer = request.header
			? await resumeStreamSealer(key, request.header, {
					fileId: request.fileId,
					versionId: request.versionId,
				})
			: await createStreamSealer(key, {
					fileId: request.fileId,
					versionId: request.versionId,
					totalSize: request.totalSize,
					chunkSize: request.chunkSize,
				});
		if (sealer.info.totalSize !== request.totalSize)
			throw new Error("The interrupted upload was for a file of another size.");
		key.wipe();
		coder = createErasureCoder({
			dataShards: request.dataShards,
			parityShards: request.parityShards,
		});
		dataShards = request.dataShards;
		versionId = request.versionId;
		return { kind: "started", header: sealer.header, chunkCount: sealer.chunkCount };
	}
	if (request.kind === "release") {
		const chunk = held.get(request.index);
		held.delete(request.index);
		if (chunk) slabs.give(chunk.slab);
		return { kind: "done" };
	}
	if (request.kind === "cancel") {
		inFlight.abort();
		inFlight = new AbortController();
		return { kind: "done" };
	}
	if (!sealer || !coder) throw new Error("The upload worker was not started.");
	if (request.kind === "send") {
		const chunk = held.get(request.index);
		if (!chunk) throw new Error("The upload worker no longer holds this chunk.");
		const { stored, refused } = await sendShards(
			request.index,
			request.shardIndices,
			chunk.shards,
			inFlight.signal,
		);
		return { kind: "sent", index: request.index, stored, ...(refused ? { refused } : {}) };
	}
	const sealed = await sealer.sealChunk(request.index, request.plaintext);
	// The k data shards and then the m parity shards, all views of one reused buffer.
	const shardSize = shardLengthFor(sealed.length, dataShards);
	const slab = slabs.take(shardSize * coder.totalShards);
	const data = splitIntoShards(sealed, dataShards, slab);
	const parity = Array.from({ length: coder.parityShards }, (_, i) =>
		slab.subarray((dataShards + i) * shardSize, (dataShards + i + 1) * shardSize),
	);
	const shards = [...data, ...coder.encode(data, parity)];
	const roots = await Promise.all(shards.map((shard) => shardRootWebCrypto(shard)));
	held.set(request.index, { slab, shards });
	const address = await chunkAddress(sealed);
	// Once this message is answered, its plaintext and sealed chunk are garbage: a collection
	// then frees them (prompt-collection.ts); one while they are still held would keep them.
	setTimeout(promptCollection, 0, sealed.length);
	return {
		kind: "chunk",
		index: request.index,
		address,
		sealedSize: sealed.length,
		shardSize: shards[0]?.length ?? 0,
		roots,
	};
}

self.onmessage = async (event: MessageEvent<ChunkWorkerMessage>) => {
	const { id, request } = event.data;
	try {
		reply(id, await handle(request));
	} catch (error) {
		reply(id, {
			kind: "error",
			message: error instanceof Error ? error.message : "The upload worker failed.",
		});
	}
};
