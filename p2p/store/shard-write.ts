// One streamed put into the shard store (DESIGN §5 Disk store), begun by
// `ShardStore.beginPut`: the shard's bytes are copied into the store's page-aligned pieces as
// they arrive; each full piece is written to a temp file in the background, directly (O_DIRECT)
// where the store found that the file system takes it, and hashed while the disk takes it; `commit` checks the Merkle root, makes the file
// durable and renames it into place. It never lists a shard whose bytes failed the root, or
// before the file and its folder are synced, and leaves no temp file behind a put that did not
// commit.
import { constants } from "node:fs";
import { type FileHandle, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { toHex } from "../wire/hex";
import { ShardRootHasher } from "../wire/native-merkle";
import { fsyncDir } from "./atomic-file";
import { RootMismatchError } from "./errors";
import type { PiecePool } from "./piece-pool";

/** Piece size of streamed writes: 16 Merkle blocks, a few muxer messages. */
export const PIECE_BYTES = 256 * 1024;

/**
 * Memory address, file offset and length of a direct write are multiples of this: the largest
 * logical block size of common disks (pieces are page-aligned, see ./piece-pool).
 */
export const DIRECT_ALIGNMENT = 4096;

/** Flags that create a new shard temp file for writing, direct or through the page cache. */
export function createFlags(direct: boolean): number {
	const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
	return direct ? flags | constants.O_DIRECT : flags;
}

/** A shard's size and lease, as the store indexes it. */
export interface ShardEntry {
	size: number;
	leaseUntil: number;
}

/** What `ShardStore.beginPut` gives a write: its file, lease and where to report back. */
export interface ShardWriteInit {
	rootHex: string;
	entry: ShardEntry;
	/** The temp file, being created. */
	handle: Promise<FileHandle>;
	/** The temp file was opened for direct writes (see `DIRECT_ALIGNMENT`). */
	direct: boolean;
	shardTmp: string;
	lease: Promise<string>;
	shardsDir: string;
	pieces: PiecePool;
	directRefused: () => void;
	done: (stored: boolean) => void;
}

/**
 * One streamed put in progress (from `ShardStore.beginPut`). Bytes go into 256 KiB pieces (the
 * store's, reused once written) that are written to the temp file in the background, each at
 * its own offset as soon as it is full, and hashed meanwhile; `commit` lists the shard only after
 * its root matched and the file and folder are synced. Every path that does not commit deletes
 * the temp files: `abort` is safe to call at any time, also after `commit`.
 */
export class ShardWrite {
	private readonly hasher = new ShardRootHasher();
	/** The piece being filled (taken when the first byte for it arrives). */
	private piece: Uint8Array<ArrayBuffer> | null = null;
	private filled = 0;
	private position = 0;
	/** Piece writes started and not yet awaited; each settles without throwing. */
	private readonly writes: Promise<void>[] = [];
	private failure: unknown = null;
	private finished = false;
	/** The temp file once it is open, so a piece's write starts before its hashing. */
	private openHandle: FileHandle | null = null;

	constructor(private readonly init: ShardWriteInit) {
		// A failed lease write or file creation is reported by commit; never leave an unhandled
		// rejection.
		init.lease.catch(() => undefined);
		init.handle.then(
			(handle) => {
				this.openHandle = handle;
			},
			() => undefined,
		);
	}

	/** Bytes accepted so far. */
	get received(): number {
		return this.position + this.filled;
	}

	/** Feeds the next bytes; more than the announced size throws RootMismatchError. */
	write(chunk: Uint8Array): void {
		if (this.finished) throw new Error("write after the shard write finished");
		if (this.received + chunk.length > this.init.entry.size) {
			throw new RootMismatchError(`more bytes than the ${this.init.entry.size} announced`);
		}
		// Copy into our own piece: the bytes hashed are exactly the bytes written, whatever the
		// caller later does with its buffers.
		let offset = 0;
		while (offset < chunk.length) {
			this.piece ??= this.init.pieces.take();
			const limit = Math.min(this.piece.length, this.init.entry.size - this.position);
			const take = Math.min(limit - this.filled, chunk.length - offset);
			this.piece.set(chunk.subarray(offset, offset + take), this.filled);
			this.filled += take;
			offset += take;
			if (this.filled === limit) this.flush();
		}
	}

	private flush(): void {
		const whole = this.piece;
		if (whole === null || this.filled === 0) return;
		const piece = whole.subarray(0, this.filled);
		const at = this.position;
		this.position += piece.length;
		this.piece = null;
		this.filled = 0;
		if (this.failure !== null) {
			this.hasher.update(piece);
			this.init.pieces.release(whole);
			return;
		}
		// A direct write covers whole blocks: the shard's last piece is padded with zeros, cut
		// off again by commit.
		const length = this.init.direct ? alignUp(piece.length, DIRECT_ALIGNMENT) : piece.length;
		whole.fill(0, piece.length, length);
		// Written at its own offset right away, not after the pieces before it: a chain that
		// started each write only once this (busy) thread saw the previous one finish lagged
		// 2–7 ms behind the network per 4 MiB shard. The piece is reused only once its write
		// settled, so nothing overwrites bytes still being written. After a failure no more
		// pieces are written.
		const bytes = whole.subarray(0, length);
		const written = this.openHandle
			? writeFully(this.openHandle, bytes, at)
			: this.init.handle.then((handle) => writeFully(handle, bytes, at));
		this.writes.push(
			written.then(
				() => this.init.pieces.release(whole),
				(err: unknown) => {
					this.init.pieces.release(whole);
					if (this.init.direct && (err as { code?: unknown }).code === "EINVAL") {
						this.init.directRefused();
					}
					this.failure ??= err;
				},
			),
		);
		// Hashed once its write is on its way (the write only reads the piece): the shard's last
		// piece then goes to the disk while its blocks and the root are hashed.
		this.hasher.update(piece);
	}

	/**
	 * Checks the root of every byte written; when it matches, syncs the file, renames lease and
	 * shard into place (together) and syncs the folder, then lists the shard. A mismatch or short shard
	 * throws RootMismatchError and keeps nothing.
	 */
	async commit(): Promise<void> {
		const { rootHex, entry } = this.init;
		if (this.finished) throw new Error("the shard write already finished");
		this.flush();
		if (this.position !== entry.size || toHex(this.hasher.digest()) !== rootHex) {
			await this.abort();
			throw new RootMismatchError(`the bytes sent do not hash to shard ${rootHex}`);
		}
		await this.settleWrites();
		if (this.failure !== null) throw this.failure;
		const handle = await this.init.handle;
		// The last direct write's padding.
		if (this.init.direct && entry.size % DIRECT_ALIGNMENT !== 0) await handle.truncate(entry.size);
		await handle.sync();
		const leaseTmp = await this.init.lease;
		this.finished = true;
		// Closing the synced file and both renames go to the thread pool together: each waited
		// for the one before it added ~0.1–0.2 ms to every put's answer.
		const closed = handle.close();
		try {
			// A crash before the folder is synced may keep either rename without the other: the
			// next load deletes a shard without its lease and a lease without its shard, so the
			// put, never answered, left nothing behind.
			// All settled before any failure is acted on, so no rename lands after the cleanup.
			const outcomes = await Promise.allSettled([
				rename(leaseTmp, join(this.init.shardsDir, `${rootHex}.lease`)),
				rename(this.init.shardTmp, join(this.init.shardsDir, `${rootHex}.shard`)),
				closed,
			]);
			for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
			await fsyncDir(this.init.shardsDir);
		} catch (err) {
			await rm(this.init.shardTmp, { force: true });
			await rm(leaseTmp, { force: true });
			await rm(join(this.init.shardsDir, `${rootHex}.shard`), { force: true });
			await rm(join(this.init.shardsDir, `${rootHex}.lease`), { force: true });
			this.init.done(false);
			throw err;
		}
		this.init.done(true);
	}

	/** Waits for every piece write started so far (they never reject). */
	private async settleWrites(): Promise<void> {
		while (this.writes.length > 0) await Promise.all(this.writes.splice(0));
	}

	/** Drops the write and its temp files (no effect after a successful commit). */
	async abort(): Promise<void> {
		if (this.finished) return;
		this.finished = true;
		if (this.piece !== null) this.init.pieces.release(this.piece);
		this.piece = null;
		await this.settleWrites();
		await this.init.handle.then((handle) => handle.close()).catch(() => undefined);
		await rm(this.init.shardTmp, { force: true });
		const leaseTmp = await this.init.lease.catch(() => null);
		if (leaseTmp !== null) await rm(leaseTmp, { force: true });
		this.init.done(false);
	}
}

/** Writes all of `bytes` to `handle` at `position`, in as many calls as the system needs. */
export async function writeFully(
	handle: FileHandle,
	bytes: Uint8Array,
	position: number,
): Promise<void> {
	let written = 0;
	while (written < bytes.length) {
		const result = await handle.write(bytes, written, bytes.length - written, position + written);
		written += result.bytesWritten;
	}
}

function alignUp(length: number, alignment: number): number {
	return Math.ceil(length / alignment) * alignment;
}
