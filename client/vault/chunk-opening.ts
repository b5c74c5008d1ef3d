// The checks and the opening of a download's chunks (DESIGN §4–5), done by the download's
// opening worker (open-worker.ts) so that none of it runs on the page's thread: a shard against
// the Merkle root its manifest names; a chunk rebuilt from k checked shards, checked against its
// address and opened with the version's content key. Plain functions over bytes, with no
// messaging, so they are tested directly.
import { createStreamOpener, importSecretKey, type StreamOpener, toBase64url } from "../../crypto";
import { createErasureCoder, joinShards } from "../../p2p/erasure";
import { BufferPool } from "./buffer-pool";
import { chunkAddress } from "./manifest";
import { TransferError } from "./transfer-settings";
import { shardRoots } from "./wasm-merkle";

/** What opening a version's chunks needs; the content key's bytes are wiped once imported. */
export interface OpeningParams {
	contentKey: Uint8Array;
	/** The sealed stream's header, from the verified manifest. */
	header: Uint8Array;
	fileId: string;
	versionId: string;
	dataShards: number;
	parityShards: number;
}

/** A chunk as the verified manifest describes it. */
export interface ChunkDescription {
	sealedSize: number;
	/** base64url SHA-256 of the sealed chunk. */
	address: string;
}

/** The distinct buffers under `views`: a transfer list, so they are moved, not copied. */
export function buffersOf(views: readonly (Uint8Array<ArrayBuffer> | null)[]): ArrayBuffer[] {
	return [...new Set(views.flatMap((view) => (view ? [view.buffer] : [])))];
}

/**
 * Whether `shard` hashes to `root` (base64url), the root the manifest names for it. Hashed in
 * WebAssembly where the browser has it, as the upload worker does (wasm-merkle.ts: WebCrypto's
 * per-leaf digests leave garbage only a full collection frees).
 */
export async function shardMatchesRoot(shard: Uint8Array, root: string): Promise<boolean> {
	const [computed] = await shardRoots([shard]);
	return computed !== undefined && toBase64url(computed) === root;
}

/** Opens one version's chunks, in any order, each from k checked shards. */
export class ChunkOpening {
	/** Joined sealed chunks reuse one or two buffers. */
	readonly #joined = new BufferPool(2);

	private constructor(
		private readonly opener: StreamOpener,
		private readonly coder: ReturnType<typeof createErasureCoder>,
	) {}

	/** Checks the stream's header against the key and the version it must belong to. */
	static async create(params: OpeningParams): Promise<ChunkOpening> {
		const key = importSecretKey("ContentKey", params.contentKey);
		params.contentKey.fill(0);
		try {
			const opener = await createStreamOpener(key, params.header, {
				fileId: params.fileId,
				versionId: params.versionId,
			});
			const coder = createErasureCoder({
				dataShards: params.dataShards,
				parityShards: params.parityShards,
			});
			return new ChunkOpening(opener, coder);
		} finally {
			key.wipe();
		}
	}

	get chunkCount(): number {
		return this.opener.chunkCount;
	}

	get totalSize(): number {
		return this.opener.info.totalSize;
	}

	/**
	 * The plaintext of chunk `index` from its shards (null where missing; at least k checked
	 * ones): rebuilt, checked against its address, opened. Wrong bytes throw, never come out.
	 */
	async open(
		index: number,
		shards: readonly (Uint8Array | null)[],
		chunk: ChunkDescription,
	): Promise<Uint8Array<ArrayBuffer>> {
		const sealed = joinShards(
			this.coder.reconstructData(shards),
			chunk.sealedSize,
			this.#joined.take(chunk.sealedSize),
		);
		try {
			if ((await chunkAddress(sealed)) !== chunk.address)
				throw new TransferError("A chunk of this file failed its integrity check.");
			// Opening copies the sealed bytes when it starts: the buffer is free after.
			return await this.opener.openChunk(index, sealed);
		} finally {
			this.#joined.give(sealed);
		}
	}
}
