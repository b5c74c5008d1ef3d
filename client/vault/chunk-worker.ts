// Web Worker that does an upload's CPU-heavy work off the page's thread: sealing each chunk,
// erasure-coding it into shards and computing their Merkle roots. The page reads the File and
// talks to the network. Keys arrive as bytes from the same tab and never leave this worker.
// Shards go back as Blobs: the browser keeps their bytes outside the page's heap and sends a
// Blob body without copying it on the page's thread (a typed-array body is copied there, which
// costs tens of ms per MiB).
import {
	createStreamSealer,
	importSecretKey,
	resumeStreamSealer,
	type StreamSealer,
} from "../../crypto";
import { shardRoot } from "../../crypto/merkle";
import { createErasureCoder, splitIntoShards } from "../../p2p/erasure";
import { chunkAddress } from "./manifest";

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
	| { kind: "chunk"; index: number; plaintext: Uint8Array };

export type ChunkWorkerResponse =
	| { kind: "started"; header: Uint8Array; chunkCount: number }
	| {
			kind: "chunk";
			index: number;
			address: string;
			sealedSize: number;
			shards: Blob[];
			roots: Uint8Array[];
	  }
	| { kind: "error"; message: string };

let sealer: StreamSealer | undefined;
let coder: ReturnType<typeof createErasureCoder> | undefined;
let dataShards = 0;

const reply = (message: ChunkWorkerResponse, transfer: Transferable[] = []) =>
	(
		self as unknown as { postMessage(message: unknown, transfer: Transferable[]): void }
	).postMessage(message, transfer);

self.onmessage = async (event: MessageEvent<ChunkWorkerRequest>) => {
	const request = event.data;
	try {
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
			reply({ kind: "started", header: sealer.header, chunkCount: sealer.chunkCount });
			return;
		}
		if (!sealer || !coder) throw new Error("The upload worker was not started.");
		const sealed = await sealer.sealChunk(request.index, request.plaintext);
		const data = splitIntoShards(sealed, dataShards).map((shard) => Uint8Array.from(shard));
		const shards = [...data, ...coder.encode(data)];
		const roots = shards.map((shard) => shardRoot(shard));
		reply({
			kind: "chunk",
			index: request.index,
			address: chunkAddress(sealed),
			sealedSize: sealed.length,
			shards: shards.map((shard) => new Blob([shard as Uint8Array<ArrayBuffer>])),
			roots,
		});
	} catch (error) {
		reply({
			kind: "error",
			message: error instanceof Error ? error.message : "The upload worker failed.",
		});
	}
};
