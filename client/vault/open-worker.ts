// Web Worker that checks and opens a download's chunks off the page's thread (DESIGN §2: the
// download pipeline runs in a worker): each fetched shard against its Merkle root, then each
// chunk rebuilt, checked against its address and opened (chunk-opening.ts). The page fetches
// the shards and streams the plaintext out; buffers move between the two without copies, and
// shards go back to the page to be filled again. The content key arrives as bytes from the same
// tab and never leaves this worker.
import {
	buffersOf,
	type ChunkDescription,
	ChunkOpening,
	type OpeningParams,
	shardMatchesRoot,
} from "./chunk-opening";
import { promptCollection } from "./prompt-collection";

export type OpenWorkerRequest =
	| { kind: "start"; params: OpeningParams }
	/** Does this shard hash to `root`? The shard comes back either way. */
	| { kind: "verify"; shard: Uint8Array<ArrayBuffer>; root: string }
	/** The plaintext of chunk `index` from k checked shards; the shards come back. */
	| {
			kind: "open";
			index: number;
			shards: (Uint8Array<ArrayBuffer> | null)[];
			chunk: ChunkDescription;
	  };

export type OpenWorkerResponse =
	| { kind: "started"; chunkCount: number; totalSize: number }
	| { kind: "verified"; shard: Uint8Array<ArrayBuffer>; valid: boolean }
	| {
			kind: "opened";
			plaintext: Uint8Array<ArrayBuffer>;
			shards: (Uint8Array<ArrayBuffer> | null)[];
	  }
	/** `name` keeps the failure's kind (TransferError, OperationError …) for the page's message. */
	| { kind: "error"; name: string; message: string };

export type OpenWorkerMessage = { id: number; request: OpenWorkerRequest };
export type OpenWorkerReply = { id: number; response: OpenWorkerResponse };

let opening: ChunkOpening | undefined;

async function handle(request: OpenWorkerRequest): Promise<[OpenWorkerResponse, ArrayBuffer[]]> {
	if (request.kind === "start") {
		opening = await ChunkOpening.create(request.params);
		return [{ kind: "started", chunkCount: opening.chunkCount, totalSize: opening.totalSize }, []];
	}
	if (request.kind === "verify") {
		const valid = await shardMatchesRoot(request.shard, request.root);
		return [{ kind: "verified", shard: request.shard, valid }, [request.shard.buffer]];
	}
	if (!opening) throw new Error("The opening worker was not started.");
	const { shards } = request;
	const plaintext = await opening.open(request.index, shards, request.chunk);
	// Once this answer is out, the opening's small garbage is collected (prompt-collection.ts).
	setTimeout(promptCollection, 0, plaintext.length);
	return [{ kind: "opened", plaintext, shards }, [plaintext.buffer, ...buffersOf(shards)]];
}

const post = (reply: OpenWorkerReply, transfer: ArrayBuffer[] = []) =>
	(
		self as unknown as { postMessage(message: OpenWorkerReply, transfer: Transferable[]): void }
	).postMessage(reply, transfer);

self.onmessage = async ({ data: { id, request } }: MessageEvent<OpenWorkerMessage>) => {
	try {
		const [response, transfer] = await handle(request);
		post({ id, response }, transfer);
	} catch (error) {
		post({
			id,
			response: {
				kind: "error",
				// DOMExceptions (WebCrypto's OperationError) are Errors too.
				name: error instanceof Error ? error.name : "Error",
				message: error instanceof Error ? error.message : "The opening worker failed.",
			},
		});
	}
};
