// Web Worker that does an upload's heavy work off the page's thread: reading each chunk of the
// file, sealing it, erasure-coding it into shards, computing their Merkle roots, and sending the
// shards to the gateway, each chunk's requests naming its placement (shard size and roots) so
// the gateway places it with the first of them. The page decides what to send and when to give
// up; the shards themselves stay here, spooled (body-spool.ts) from coding until the page
// releases them, so they are never copied between threads. Keys arrive as bytes from the same
// tab and never leave this worker.
import {
	createStreamSealer,
	importSecretKey,
	resumeStreamSealer,
	type StreamSealer,
	toBase64url,
} from "../../crypto";
import { createErasureCoder, shardLengthFor, splitIntoShards } from "../../p2p/erasure";
import { type BodySpool, openBodySpool, type SpooledBody } from "./body-spool";
import { BufferPool } from "./buffer-pool";
import { freeBuffer } from "./free-buffer";
import { chunkAddress } from "./manifest";
import { promptCollection } from "./prompt-collection";
import { requestBody } from "./request-body";
import { shardRoots } from "./wasm-merkle";

export type ChunkWorkerRequest =
	| {
			kind: "start";
			contentKey: Uint8Array;
			/** The file's contents, read here chunk by chunk (a File is not copied when posted). */
			file: Blob;
			fileId: string;
			versionId: string;
			totalSize: number;
			chunkSize: number;
			dataShards: number;
			parityShards: number;
			/** The header of an interrupted upload, to seal its chunks again. */
			header?: Uint8Array;
	  }
	/** Read, seal and code chunk `index`; its shards are held here until released. */
	| { kind: "chunk"; index: number }
	/** PUT these shards of a held chunk through the gateway, in one request. */
	| { kind: "send"; index: number; shardIndices: number[] }
	/** Forget a chunk's shards (sent, or given up). */
	| { kind: "release"; index: number }
	/** Abort every request in flight. */
	| { kind: "cancel" }
	/** Remove this upload's spooled request bodies (the worker ends next). */
	| { kind: "close" };

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
	/** A release, cancel or close was carried out. */
	| { kind: "done" }
	/** `forPerson`: the message says what happened in words for the person uploading. */
	| { kind: "error"; message: string; forPerson?: boolean };

/** Why an upload stopped when its file could no longer be read. */
const FILE_UNREADABLE =
	"The file could not be read to the end: it was moved, changed or deleted during the upload. Upload it again.";

/** A failure whose message is written for the person uploading (the page shows it as is). */
class UploadProblem extends Error {
	override name = "UploadProblem";
}

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
/** The file being uploaded and how it is cut (set by "start"). */
let source: Blob | undefined;
let chunkSize = 0;
interface HeldChunk {
	shards: SpooledBody;
	shardSize: number;
	shardCount: number;
	/** The chunk's placement as each request names it (shard size, every shard's root). */
	placement: Record<string, string>;
}

/** Headers naming a chunk's placement (app/api/chunks/[versionId]/[chunkIndex]/route.ts). */
const SHARD_SIZE_HEADER = "x-coffre-shard-size";
const SHARD_ROOTS_HEADER = "x-coffre-shard-roots";

/**
 * Each coded chunk's n shards, one after another in one body (body-spool.ts: a file on disk
 * where the browser allows), from coding until the page releases the chunk; each request
 * sends slices of it.
 */
const held = new Map<number, HeldChunk>();
/**
 * Buffers a chunk's n shards are coded in, reused: one is needed only from coding until its
 * shards are spooled, so a couple are enough.
 */
const slabs = new BufferPool(2);
let inFlight = new AbortController();
/** Where request bodies are written before they are sent (body-spool.ts), opened on first use. */
let spool: Promise<BodySpool> | undefined;

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
 * now (network, unavailable node) are only left out. The body is made of slices of the chunk's
 * spooled shards (no copy): a Blob is handed to the network as it is, where a typed-array body
 * costs Chromium's sending thread far more (about 40 % more CPU without dev tools, tenfold
 * with them).
 */
async function sendShards(
	index: number,
	shardIndices: number[],
	{ shards, shardSize, shardCount, placement }: HeldChunk,
	signal: AbortSignal,
): Promise<{ stored: number[]; refused?: ShardRefusal }> {
	const listed = shardIndices.filter((shardIndex) => shardIndex < shardCount);
	if (listed.length === 0) return { stored: [] };
	const body = requestBody(shards.body, shardSize, listed);
	const response = await fetch(`/api/chunks/${versionId}/${index}?shards=${listed.join(",")}`, {
		method: "PUT",
		body,
		headers: { ...CSRF, ...placement },
		credentials: "same-origin",
		signal,
	}).catch(() => null);
	// A request that could not read its body would fail again however often it were tried:
	// the spooled file is gone (the site's data was cleared), and with it this chunk's shards.
	if (!response && !signal.aborted && !(await isReadable(shards.body))) {
		throw new UploadProblem(
			"This upload's working copy in the browser's storage was removed (were this site's data cleared?). It is kept as an interrupted upload: pick the same file again to resume it.",
		);
	}
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

/** Whether a body's bytes can still be read (a spooled file may have been removed). */
function isReadable(body: Blob): Promise<boolean> {
	return body
		.slice(0, 1)
		.arrayBuffer()
		.then(
			() => true,
			() => false,
		);
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
		source = request.file;
		chunkSize = request.chunkSize;
		return { kind: "started", header: sealer.header, chunkCount: sealer.chunkCount };
	}
	if (request.kind === "release") {
		const chunk = held.get(request.index);
		held.delete(request.index);
		// Nothing reads this chunk's body any more: its file may take the next chunk's.
		chunk?.shards.release();
		return { kind: "done" };
	}
	if (request.kind === "cancel") {
		inFlight.abort();
		inFlight = new AbortController();
		return { kind: "done" };
	}
	if (request.kind === "close") {
		inFlight.abort();
		await (await spool)?.close();
		return { kind: "done" };
	}
	if (!sealer || !coder || !source) throw new Error("The upload worker was not started.");
	if (request.kind === "send") {
		const chunk = held.get(request.index);
		if (!chunk) throw new Error("The upload worker no longer holds this chunk.");
		const { stored, refused } = await sendShards(
			request.index,
			request.shardIndices,
			chunk,
			inFlight.signal,
		);
		return { kind: "sent", index: request.index, stored, ...(refused ? { refused } : {}) };
	}
	// Read here, not on the page (the page's copy would wait for the page's own collections),
	// in one call: a byte stream read in pieces left a few objects per piece that only a full
	// collection frees (about 30 KiB a chunk).
	const start = request.index * chunkSize;
	const length = Math.max(0, Math.min(chunkSize, source.size - start));
	// A file moved, changed or deleted on disk since it was picked fails to read (or reads
	// short): the upload stops saying so, instead of as an unexplained failure.
	const read = await source
		.slice(start, start + length)
		.arrayBuffer()
		.catch(() => null);
	if (!read || read.byteLength !== length) throw new UploadProblem(FILE_UNREADABLE);
	const plaintext = new Uint8Array(read);
	const sealed = await sealer.sealChunk(request.index, plaintext);
	// WebCrypto copied the plaintext when called; the browser's buffer goes now (free-buffer.ts).
	freeBuffer(plaintext);
	// The k data shards and then the m parity shards, all views of one reused buffer.
	const shardSize = shardLengthFor(sealed.length, dataShards);
	const slab = slabs.take(shardSize * coder.totalShards);
	const data = splitIntoShards(sealed, dataShards, slab);
	const parity = Array.from({ length: coder.parityShards }, (_, i) =>
		slab.subarray((dataShards + i) * shardSize, (dataShards + i + 1) * shardSize),
	);
	const shards = [...data, ...coder.encode(data, parity)];
	// On WebAssembly where the browser has it, not WebCrypto: see wasm-merkle.ts.
	const roots = await shardRoots(shards);
	// Spooled (a copy), the coded buffer goes back at once: every request reads the spool.
	spool ??= openBodySpool();
	held.set(request.index, {
		shards: await (await spool).body(shards),
		shardSize,
		shardCount: shards.length,
		placement: {
			[SHARD_SIZE_HEADER]: String(shardSize),
			[SHARD_ROOTS_HEADER]: roots.map((root) => toBase64url(root)).join(","),
		},
	});
	slabs.give(slab);
	const address = await chunkAddress(sealed);
	const sealedSize = sealed.length;
	// The sealed chunk is WebCrypto's buffer, which only a full collection would free: it goes
	// now (free-buffer.ts), its bytes being in the spool.
	freeBuffer(sealed);
	// Once this message is answered, the reading's and hashing's small garbage is collected
	// (prompt-collection.ts); a collection while it is still held would keep it.
	setTimeout(promptCollection, 0, sealedSize);
	return {
		kind: "chunk",
		index: request.index,
		address,
		sealedSize,
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
			forPerson: error instanceof UploadProblem,
		});
	}
};
