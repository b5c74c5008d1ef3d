// The page's side of the opening worker (open-worker.ts): starts it for one version, asks it to
// check shards and open chunks, and ends it. Buffers are moved to the worker and back, never
// copied; a failure in the worker comes back as an error of the same kind (a TransferError stays
// one, so its message reaches the person as written).
import { buffersOf, type ChunkDescription, type OpeningParams } from "./chunk-opening";
import type { OpenWorkerRequest, OpenWorkerResponse } from "./open-worker";
import { TransferError } from "./transfer-settings";
import { workerCalls } from "./worker-calls";

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

/** Why a download stops when its worker cannot run in this tab. */
const COULD_NOT_START =
	"The download could not be opened in this browser tab. Reload the page and try again.";

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
	let worker: Worker;
	try {
		worker = new Worker(new URL("./open-worker.ts", import.meta.url), { type: "module" });
	} catch (cause) {
		// A page whose policy or browser refuses workers: a plain reason, not an integrity failure.
		params.contentKey.fill(0);
		throw new TransferError(COULD_NOT_START, { cause });
	}
	const calls = workerCalls<OpenWorkerRequest, OpenWorkerResponse>(
		worker,
		({ name, message }) => errorOf(name, message),
		"opening worker",
	);
	let closed = false;
	worker.onerror = (event) => {
		event.preventDefault();
		calls.failAll(new TransferError(COULD_NOT_START));
	};
	const stopped = () => new DOMException("The download was stopped.", "AbortError");
	const ask: typeof calls.ask = (request, expected, transfer) =>
		closed ? Promise.reject(stopped()) : calls.ask(request, expected, transfer);
	const close = () => {
		if (closed) return;
		closed = true;
		worker.terminate();
		calls.failAll(stopped());
	};
	const contentKey = params.contentKey.slice();
	params.contentKey.fill(0);
	try {
		const started = await ask({ kind: "start", params: { ...params, contentKey } }, "started", [
			contentKey.buffer,
		]);
		return {
			chunkCount: started.chunkCount,
			totalSize: started.totalSize,
			async verify(shard, root) {
				const answer = await ask({ kind: "verify", shard, root }, "verified", [shard.buffer]);
				return { shard: answer.shard, valid: answer.valid };
			},
			async open(index, shards, chunk) {
				const answer = await ask(
					{ kind: "open", index, shards, chunk },
					"opened",
					buffersOf(shards),
				);
				return { plaintext: answer.plaintext, shards: answer.shards };
			},
			close,
		};
	} catch (error) {
		close();
		throw error;
	}
}
