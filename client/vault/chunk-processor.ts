// Runs an upload's chunk work in a Web Worker (chunk-worker.ts), one request at a time, with a
// promise per request. Falls back to nothing: browsers Coffre supports all have module workers.
import type { ChunkWorkerRequest, ChunkWorkerResponse } from "./chunk-worker";

export interface ProcessedChunk {
	address: string;
	sealedSize: number;
	/** The n shards, as Blobs ready to be sent as request bodies. */
	shards: Blob[];
	roots: Uint8Array[];
}

export interface ChunkProcessor {
	start(
		request: Extract<ChunkWorkerRequest, { kind: "start" }>,
	): Promise<{ header: Uint8Array; chunkCount: number }>;
	process(index: number, plaintext: Uint8Array): Promise<ProcessedChunk>;
	close(): void;
}

export function createChunkProcessor(): ChunkProcessor {
	const worker = new Worker(new URL("./chunk-worker.ts", import.meta.url), { type: "module" });
	let pending:
		| { resolve: (response: ChunkWorkerResponse) => void; reject: (error: Error) => void }
		| undefined;
	worker.onmessage = (event: MessageEvent<ChunkWorkerResponse>) => {
		const current = pending;
		pending = undefined;
		if (event.data.kind === "error") current?.reject(new Error(event.data.message));
		else current?.resolve(event.data);
	};
	worker.onerror = (event) => {
		pending?.reject(new Error(event.message || "The upload worker failed."));
		pending = undefined;
	};
	const ask = (request: ChunkWorkerRequest, transfer: Transferable[] = []) =>
		new Promise<ChunkWorkerResponse>((resolve, reject) => {
			pending = { resolve, reject };
			worker.postMessage(request, transfer);
		});
	return {
		async start(request) {
			const response = await ask(request, [request.contentKey.buffer as ArrayBuffer]);
			if (response.kind !== "started") throw new Error("Unexpected answer from the upload worker.");
			return { header: response.header, chunkCount: response.chunkCount };
		},
		async process(index, plaintext) {
			const response = await ask({ kind: "chunk", index, plaintext }, [
				plaintext.buffer as ArrayBuffer,
			]);
			if (response.kind !== "chunk" || response.index !== index)
				throw new Error("Unexpected answer from the upload worker.");
			return response;
		},
		close() {
			worker.terminate();
		},
	};
}
