// Runs an upload's chunk work in a Web Worker (chunk-worker.ts): sealing and coding a chunk,
// sending some of its shards, releasing it — several requests may be in flight at once (the
// next chunk is sealed while this one is sent), each answered through its own promise.
// Browsers Coffre supports all have module workers.
import type { ChunkWorkerRequest, ChunkWorkerResponse, ShardRefusal } from "./chunk-worker";
import { TransferError } from "./transfer-settings";
import { workerCalls } from "./worker-calls";

export interface ProcessedChunk {
	address: string;
	sealedSize: number;
	/** Bytes in each of the n shards. */
	shardSize: number;
	roots: Uint8Array[];
}

export interface ChunkProcessor {
	start(
		request: Extract<ChunkWorkerRequest, { kind: "start" }>,
	): Promise<{ header: Uint8Array; chunkCount: number }>;
	/** Reads, seals and codes chunk `index`; the worker holds its shards until `release`. */
	process(index: number): Promise<ProcessedChunk>;
	/**
	 * Sends the named shards of a processed chunk; resolves with those the gateway stored, and
	 * its first refusal that another try would not change.
	 */
	send(
		index: number,
		shardIndices: number[],
	): Promise<{ stored: number[]; refused?: ShardRefusal }>;
	/** Drops a chunk's shards from the worker. */
	release(index: number): Promise<void>;
	/** Aborts every shard request in flight. */
	cancel(): Promise<void>;
	close(): void;
}

/** How long a closing worker may take to remove its files before it is ended anyway. */
const CLOSE_TIMEOUT_MS = 5_000;

export function createChunkProcessor(): ChunkProcessor {
	const worker = new Worker(new URL("./chunk-worker.ts", import.meta.url), { type: "module" });
	const { ask, failAll } = workerCalls<ChunkWorkerRequest, ChunkWorkerResponse>(
		worker,
		({ message, forPerson }) => (forPerson ? new TransferError(message) : new Error(message)),
		"upload worker",
	);
	worker.onerror = (event) => failAll(new Error(event.message || "The upload worker failed."));
	return {
		async start(request) {
			const { header, chunkCount } = await ask(request, "started", [
				request.contentKey.buffer as ArrayBuffer,
			]);
			return { header, chunkCount };
		},
		async process(index) {
			const response = await ask({ kind: "chunk", index }, "chunk");
			if (response.index !== index) throw new Error("Unexpected answer from the upload worker.");
			return response;
		},
		async send(index, shardIndices) {
			const { stored, refused } = await ask({ kind: "send", index, shardIndices }, "sent");
			return refused ? { stored, refused } : { stored };
		},
		async release(index) {
			await ask({ kind: "release", index }, "done");
		},
		async cancel() {
			await ask({ kind: "cancel" }, "done");
		},
		close() {
			failAll(new Error("The upload was stopped."));
			// The worker removes its spooled request bodies first; it ends either way.
			const end = () => worker.terminate();
			const giveUp = setTimeout(end, CLOSE_TIMEOUT_MS);
			void ask({ kind: "close" }, "done")
				.catch(() => {})
				.finally(() => {
					clearTimeout(giveUp);
					end();
				});
		},
	};
}
