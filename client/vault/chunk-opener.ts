// The page's side of the opening worker (open-worker.ts): starts it for one version, asks it to
// check shards and open chunks, and ends it. Buffers are moved to the worker and back, never
// copied; a failure in the worker comes back as an error of the same kind (a TransferError stays
// one, so its message reaches the person as written).
import { buffersOf, type ChunkDescription, type OpeningParams } from "./chunk-opening";
import type {
	OpenWorkerMessage,
	OpenWorkerReply,
	OpenWorkerRequest,
	OpenWorkerResponse,
} from "./open-worker";
import { TransferError } from "./transfer-settings";

export interface ChunkOpener {
	readonly chunkCount: number;
	readonly totalSize: number;
	/** Whether `shard` hashes to `root`; use the returned shard, `shard` itself is moved away. */
	verify(
		shard: Uint8Array<ArrayBuffer>,
		root: string,
	): Promise<{ shard: Uint8Array<ArrayBuffer>; valid: boolean }>;
	/** Chunk `index`'s plaintext, and its shards back (the ones passed in are moved away). */
	open(
		index: number,
		shards: (Uint8Array<ArrayBuffer> | null)[],
		chunk: ChunkDescription,
	): Promise<{ plaintext: Uint8Array<ArrayBuffer>; shards: (Uint8Array<ArrayBuffer> | null)[] }>;
	/** Ends the worker; calls still waiting fail. */
	close(): void;
}

type Pending = { resolve: (response: OpenWorkerResponse) => void; reject: (error: Error) => void };

/** An error of the kind the worker reported, with its message. */
function errorOf(name: string, message: string): Error {
	if (name === "TransferError") return new TransferError(message);
	const error = new Error(message);
	error.name = name;
	return error;
}

/**
 * Starts an opening worker for one version: it checks the stream's header against the key (the
 * key's bytes are moved to it and wiped here) before this resolves.
 */
export async function startChunkOpener(params: OpeningParams): Promise<ChunkOpener> {
	const worker = new Worker(new URL("./open-worker.ts", import.meta.url), { type: "module" });
	const pending = new Map<number, Pending>();
	let nextId = 0;
	let closed = false;
	const failAll = (error: Error) => {
		for (const waiting of pending.values()) waiting.reject(error);
		pending.clear();
	};
	worker.onmessage = ({ data }: MessageEvent<OpenWorkerReply>) => {
		const waiting = pending.get(data.id);
		pending.delete(data.id);
		if (data.response.kind === "error")
			waiting?.reject(errorOf(data.response.name, data.response.message));
		else waiting?.resolve(data.response);
	};
	worker.onerror = (event) => {
		event.preventDefault();
		failAll(
			new TransferError(
				"The download could not be opened in this browser tab. Reload the page and try again.",
			),
		);
	};
	const ask = (request: OpenWorkerRequest, transfer: Transferable[] = []) =>
		new Promise<OpenWorkerResponse>((resolve, reject) => {
			if (closed) {
				reject(new DOMException("The download was stopped.", "AbortError"));
				return;
			}
			const id = nextId++;
			pending.set(id, { resolve, reject });
			worker.postMessage({ id, request } satisfies OpenWorkerMessage, transfer);
		});
	const close = () => {
		if (closed) return;
		closed = true;
		worker.terminate();
		failAll(new DOMException("The download was stopped.", "AbortError"));
	};
	const contentKey = params.contentKey.slice();
	params.contentKey.fill(0);
	try {
		const started = await ask({ kind: "start", params: { ...params, contentKey } }, [
			contentKey.buffer,
		]);
		if (started.kind !== "started") throw new Error("The opening worker did not start.");
		return {
			chunkCount: started.chunkCount,
			totalSize: started.totalSize,
			async verify(shard, root) {
				const answer = await ask({ kind: "verify", shard, root }, [shard.buffer]);
				if (answer.kind !== "verified") throw new Error("The opening worker answered out of turn.");
				return { shard: answer.shard, valid: answer.valid };
			},
			async open(index, shards, chunk) {
				const answer = await ask({ kind: "open", index, shards, chunk }, buffersOf(shards));
				if (answer.kind !== "opened") throw new Error("The opening worker answered out of turn.");
				return { plaintext: answer.plaintext, shards: answer.shards };
			},
			close,
		};
	} catch (error) {
		close();
		throw error;
	}
}
