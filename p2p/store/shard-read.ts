// One streamed read out of the shard store (DESIGN §5 Disk store), opened by
// `ShardStore.openRead`: the shard's bytes in pieces, each hashed before it is handed out, and
// a CorruptShardError after the last piece when they do not hash to the root (or the file ends
// short). The first piece is small and its read starts as soon as the file is open, while the
// store checks the file's size and the node answers with the shard's size, so the first bytes
// leave the node without waiting for a whole large piece to be read and hashed.
import type { FileHandle } from "node:fs/promises";
import { toHex } from "../wire/hex";
import { ShardRootHasher } from "../wire/native-merkle";

/**
 * Size of the first piece: one muxer message's worth. Measured on a 4 MiB get, a 1 MiB first
 * piece kept the caller waiting ~2.7 ms between the size answer and the first body byte.
 */
export const FIRST_READ_PIECE_BYTES = 64 * 1024;

/**
 * Piece size of the reads after the first: each is one job of libuv's thread pool, whose
 * wake-ups cost more than the copy of a cached 256 KiB; four per 4 MiB shard instead of sixteen.
 */
export const READ_PIECE_BYTES = 1024 * 1024;

/** What the read reports when the bytes fail the root; the store quarantines the file. */
export type OnCorrupt = () => Promise<Error>;

/** A held shard opened for streaming. */
export class ShardRead {
	/** The shard's bytes in pieces; throws CorruptShardError at the end if they fail the root. */
	readonly chunks: AsyncIterable<Uint8Array>;
	private readonly first: Promise<Uint8Array> | null;
	private released = false;

	constructor(
		private readonly handle: FileHandle,
		readonly size: number,
		rootHex: string,
		onCorrupt: OnCorrupt,
	) {
		this.first = size > 0 ? this.readAt(0, Math.min(FIRST_READ_PIECE_BYTES, size)) : null;
		// Read ahead of any iteration; a failure is seen when the piece is awaited, or never
		// when the read is released unread.
		this.first?.catch(() => undefined);
		this.chunks = this.verifiedPieces(rootHex, onCorrupt);
	}

	/** Closes the file without reading on (a read refused before any byte was sent). */
	async release(): Promise<void> {
		if (this.released) return;
		this.released = true;
		await this.first?.catch(() => undefined);
		await this.handle.close().catch(() => undefined);
	}

	private async readAt(position: number, length: number): Promise<Uint8Array> {
		// Not zeroed first: only the bytes read are handed out. A plain Uint8Array, not the
		// Buffer itself, whose slice() would share its bytes instead of copying them.
		const piece = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
		let filled = 0;
		while (filled < length) {
			const { bytesRead } = await this.handle.read(
				piece,
				filled,
				length - filled,
				position + filled,
			);
			if (bytesRead === 0) break;
			filled += bytesRead;
		}
		return piece.subarray(0, filled);
	}

	private async *verifiedPieces(rootHex: string, onCorrupt: OnCorrupt) {
		const hasher = new ShardRootHasher();
		try {
			let next = this.first;
			for (let position = 0; next !== null; ) {
				const piece = await next;
				position += piece.length;
				// Read ahead while this piece is hashed and sent.
				next =
					piece.length > 0 && position < this.size
						? this.readAt(position, Math.min(READ_PIECE_BYTES, this.size - position))
						: null;
				// A reader that stops early leaves this read-ahead unawaited: its failure (a disk
				// error) must not become an unhandled rejection, which would end the node.
				next?.catch(() => undefined);
				hasher.update(piece);
				if (piece.length === 0) break;
				yield piece;
			}
			if (hasher.byteLength !== this.size || toHex(hasher.digest()) !== rootHex) {
				throw await onCorrupt();
			}
		} finally {
			await this.release();
		}
	}
}
