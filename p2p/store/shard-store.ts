// Content-addressed shard files on the node's disk (DESIGN §5 Disk store). Each shard lives at
// shards/<root hex>.shard with a lease file beside it; both are written to tmp/, fsynced,
// renamed into place and the folder fsynced, so a crash leaves the old state or the new one.
// Every read is checked against the root: a corrupt file is quarantined, reported and never
// served. Shards can be written and read as streams (`beginPut`, `openRead`): bytes are hashed
// and written while they arrive, and a write that fails its root check is deleted, never
// listed. It must never serve bytes that do not hash to the asked root (a streamed read ends
// in CorruptShardError instead), never list a shard before it is durable, and never exceed the
// capacity it was given.
// Shard files are written with O_DIRECT where the file system takes it. A shard is cold data
// that would only crowd the volunteer's page cache, and writing it through the cache made the
// node copy every byte into fresh cache pages: 13–19 ms of CPU per 4 MiB shard measured here
// once the cache had grown, against ~1.5 ms direct; a direct write is also on the disk when
// it returns, so the final fsync has almost nothing left to flush. A streamed put is a
// ShardWrite (./shard-write).
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import {
	type FileHandle,
	mkdir,
	open,
	readdir,
	readFile,
	rename,
	rm,
	stat,
} from "node:fs/promises";
import { join } from "node:path";
import { decodeMessage, encodeMessage } from "../wire/cbor";
import { fromHex, toHex } from "../wire/hex";
import { nativeShardRoot as shardRoot } from "../wire/native-merkle";
import { fsyncDir, replaceFileAtomic, writeSyncedFile } from "./atomic-file";
import {
	CapacityFullError,
	CorruptShardError,
	RootMismatchError,
	ShardNotFoundError,
} from "./errors";
import { PiecePool } from "./piece-pool";
import { ShardRead } from "./shard-read";
import {
	createFlags,
	DIRECT_ALIGNMENT,
	PIECE_BYTES,
	type ShardEntry,
	ShardWrite,
	writeFully,
} from "./shard-write";

export type { ShardRead } from "./shard-read";
export type { ShardWrite } from "./shard-write";

/** Options of `openShardStore`. */
export interface ShardStoreInit {
	/** The node's data folder; the store uses `<dir>/shards`, `<dir>/tmp`, `<dir>/quarantine`. */
	dir: string;
	/** Disk allowance in bytes for shard contents. */
	capacityBytes: number;
	/** Called once for each stored file found corrupt (root hex). */
	onCorrupt?: (rootHex: string) => void;
	/** Clock in ms, for leases (tests pass their own). */
	now?: () => number;
	/**
	 * Only read the index: touch nothing on disk (for `coffre-node status` while the node may
	 * be running and writing).
	 */
	readOnly?: boolean;
	/**
	 * Write shard files directly to the disk (O_DIRECT), past the page cache: true by default
	 * where the system and file system take it (checked by `load`); false always writes through
	 * the page cache.
	 */
	directWrites?: boolean;
}

type Entry = ShardEntry;

/** Where one shard is, how big, and until when its lease runs. */
export interface ShardInfo {
	rootHex: string;
	size: number;
	leaseUntil: number;
}

/** Disk store of shards, opened by `openShardStore`. */
export class ShardStore {
	private readonly entries = new Map<string, Entry>();
	private reserved = 0;
	private readonly shardsDir: string;
	private readonly tmpDir: string;
	private readonly quarantineDir: string;
	private readonly now: () => number;
	/** Write pieces, reused across puts. */
	private readonly pieces = new PiecePool(PIECE_BYTES);
	/** Whether shard files are written directly (O_DIRECT), decided by `load`. */
	private direct = false;

	constructor(private readonly init: ShardStoreInit) {
		this.shardsDir = join(init.dir, "shards");
		this.tmpDir = join(init.dir, "tmp");
		this.quarantineDir = join(init.dir, "quarantine");
		this.now = init.now ?? Date.now;
	}

	/** Bytes of live shards plus writes in progress. */
	get usedBytes(): number {
		let used = this.reserved;
		for (const entry of this.entries.values()) used += entry.size;
		return used;
	}

	get capacityBytes(): number {
		return this.init.capacityBytes;
	}

	/** Number of shards held. */
	get count(): number {
		return this.entries.size;
	}

	/** Loads the index from disk, dropping leftovers of interrupted writes. */
	async load(): Promise<void> {
		const readOnly = this.init.readOnly === true;
		if (!readOnly) {
			await mkdir(this.shardsDir, { recursive: true });
			await mkdir(this.quarantineDir, { recursive: true });
			// Anything in tmp/ is a write that never reached its rename: it was never a shard.
			await rm(this.tmpDir, { recursive: true, force: true });
			await mkdir(this.tmpDir, { recursive: true });
			this.direct = this.init.directWrites !== false && (await this.directWritesWork());
		}
		const names = new Set(await readdir(this.shardsDir).catch(() => [] as string[]));
		for (const name of names) {
			const [rootHex, kind] = name.split(".");
			if (rootHex === undefined || fromHex(rootHex, 32) === null) continue;
			if (kind === "shard") {
				const lease = await this.readLease(rootHex);
				const size = (await stat(join(this.shardsDir, name))).size;
				if (lease === null || lease.size !== size) {
					// A shard without its lease is the one crash window between the two renames.
					if (!readOnly) await rm(join(this.shardsDir, name), { force: true });
					continue;
				}
				this.entries.set(rootHex, lease);
			} else if (!readOnly && kind === "lease" && !names.has(`${rootHex}.shard`)) {
				await rm(join(this.shardsDir, name), { force: true });
			}
		}
	}

	/** Whether shard files are written directly to the disk (see `directWrites`). */
	get writesDirect(): boolean {
		return this.direct;
	}

	/**
	 * Tries one direct write in tmp/: systems without O_DIRECT, and file systems that refuse it
	 * (or refuse this alignment), write through the page cache instead.
	 */
	private async directWritesWork(): Promise<boolean> {
		if (constants.O_DIRECT === undefined) return false;
		const probe = join(this.tmpDir, `direct-write-check.${randomBytes(6).toString("hex")}`);
		const piece = this.pieces.take();
		try {
			const handle = await open(probe, createFlags(true), 0o600);
			try {
				piece.fill(0, 0, DIRECT_ALIGNMENT);
				await writeFully(handle, piece.subarray(0, DIRECT_ALIGNMENT), 0);
				await handle.sync();
			} finally {
				await handle.close();
			}
			return true;
		} catch {
			return false;
		} finally {
			this.pieces.release(piece);
			await rm(probe, { force: true });
		}
	}

	private async readLease(rootHex: string): Promise<Entry | null> {
		try {
			const value = decodeMessage(await readFile(join(this.shardsDir, `${rootHex}.lease`)));
			const { size, leaseUntil } = value as Partial<Entry>;
			if (!Number.isSafeInteger(size) || !Number.isSafeInteger(leaseUntil)) return null;
			return { size: size as number, leaseUntil: leaseUntil as number };
		} catch {
			return null;
		}
	}

	private async writeAtomic(name: string, bytes: Uint8Array): Promise<void> {
		const tmp = join(this.tmpDir, `${name}.${randomBytes(6).toString("hex")}`);
		await replaceFileAtomic(tmp, join(this.shardsDir, name), bytes);
	}

	private live(rootHex: string): Entry | undefined {
		const entry = this.entries.get(rootHex);
		return entry !== undefined && entry.leaseUntil > this.now() ? entry : undefined;
	}

	/**
	 * Stores `data` under `root` after checking its Merkle root, with a lease until `leaseUntil`.
	 * Storing a shard already held only extends its lease.
	 */
	async put(root: Uint8Array, data: Uint8Array, leaseUntil: number): Promise<void> {
		const rootHex = toHex(root);
		if (this.live(rootHex)) {
			if (toHex(shardRoot(data)) !== rootHex) {
				throw new RootMismatchError(`the bytes sent do not hash to shard ${rootHex}`);
			}
			await this.renew(root, leaseUntil);
			return;
		}
		const write = await this.beginPut(root, data.length, leaseUntil);
		if (write === null) return;
		try {
			write.write(data);
			await write.commit();
		} finally {
			await write.abort();
		}
	}

	/**
	 * Starts a streamed put of a shard of `size` bytes: the caller feeds its bytes in order with
	 * `write` as they arrive (they are hashed and written to a temp file on the way), then calls
	 * `commit`, which checks the Merkle root, makes the file durable and only then lists the
	 * shard, or `abort`. Returns null when the shard is already held: its lease is extended and
	 * no bytes are needed. Capacity is checked (and reserved) here, before any byte is sent.
	 */
	async beginPut(root: Uint8Array, size: number, leaseUntil: number): Promise<ShardWrite | null> {
		const rootHex = toHex(root);
		if (this.live(rootHex)) {
			await this.renew(root, leaseUntil);
			return null;
		}
		// Held but expired and not yet swept: replace it like a new shard.
		if (this.entries.has(rootHex)) await this.delete(root);
		if (this.usedBytes + size > this.init.capacityBytes) {
			throw new CapacityFullError(
				`node storage full: ${this.usedBytes} of ${this.init.capacityBytes} bytes used, shard needs ${size}`,
			);
		}
		this.reserved += size;
		const suffix = randomBytes(6).toString("hex");
		const shardTmp = join(this.tmpDir, `${rootHex}.shard.${suffix}`);
		const direct = this.direct;
		// Not awaited: the sender's bytes are taken in (copied, hashed) while the file is being
		// created; their writes start once it is open. A file that cannot be created fails the
		// put at commit.
		const handle = open(shardTmp, createFlags(direct), 0o600);
		const entry = { size, leaseUntil };
		return new ShardWrite({
			rootHex,
			entry,
			handle,
			direct,
			shardTmp,
			// The lease is written and synced while the shard's bytes are still arriving.
			lease: this.writeTemp(`${rootHex}.lease.${suffix}`, encodeMessage(entry)),
			shardsDir: this.shardsDir,
			pieces: this.pieces,
			// A file system that took the check's direct write but refuses a later one: write
			// through the page cache from now on (this put fails, its sender tries again).
			directRefused: () => {
				this.direct = false;
			},
			done: (stored) => {
				this.reserved -= size;
				if (stored) this.entries.set(rootHex, entry);
			},
		});
	}

	/** Writes `bytes` to a new synced file in tmp/ and returns its path. */
	private async writeTemp(name: string, bytes: Uint8Array): Promise<string> {
		const tmp = join(this.tmpDir, name);
		await writeSyncedFile(tmp, bytes);
		return tmp;
	}

	/**
	 * Opens a held shard for streaming: its size, and its bytes in pieces, each hashed before it
	 * is handed out. When the bytes do not hash to the root (or the file is short or missing), the
	 * shard is quarantined and the iteration throws CorruptShardError after the last piece, so
	 * a reader that forwards pieces must also have its receiver check the root.
	 */
	async openRead(root: Uint8Array): Promise<ShardRead> {
		const rootHex = toHex(root);
		const entry = this.live(rootHex);
		if (entry === undefined) throw new ShardNotFoundError(`no shard ${rootHex} here`);
		let handle: FileHandle;
		try {
			handle = await open(join(this.shardsDir, `${rootHex}.shard`), "r");
		} catch {
			await this.quarantine(rootHex);
			throw new CorruptShardError(`shard ${rootHex} is missing from disk`);
		}
		const corrupt = async () => {
			await this.quarantine(rootHex);
			return new CorruptShardError(`stored shard ${rootHex} failed its Merkle check`);
		};
		// The first piece is read while the size is checked.
		const read = new ShardRead(handle, entry.size, rootHex, corrupt);
		const size = await handle.stat().then(
			(stats) => stats.size,
			() => null,
		);
		if (size !== entry.size) {
			await read.release();
			await this.quarantine(rootHex);
			throw new CorruptShardError(
				size === null
					? `stored shard ${rootHex} could not be examined on disk`
					: `stored shard ${rootHex} has the wrong size`,
			);
		}
		return read;
	}

	/** Extends a held shard's lease (never shortens it). */
	async renew(root: Uint8Array, leaseUntil: number): Promise<void> {
		const rootHex = toHex(root);
		const entry = this.live(rootHex);
		if (entry === undefined) throw new ShardNotFoundError(`no shard ${rootHex} here`);
		if (leaseUntil <= entry.leaseUntil) return;
		const renewed = { size: entry.size, leaseUntil };
		await this.writeAtomic(`${rootHex}.lease`, encodeMessage(renewed));
		await fsyncDir(this.shardsDir);
		this.entries.set(rootHex, renewed);
	}

	/** Size and lease of a live shard, or null; does not read the contents. */
	info(root: Uint8Array): ShardInfo | null {
		const rootHex = toHex(root);
		const entry = this.live(rootHex);
		return entry ? { rootHex, ...entry } : null;
	}

	/** Reads a shard, verified against its root. Corrupt files are quarantined and reported. */
	async get(root: Uint8Array): Promise<Uint8Array> {
		const rootHex = toHex(root);
		if (this.live(rootHex) === undefined) throw new ShardNotFoundError(`no shard ${rootHex} here`);
		let data: Uint8Array;
		try {
			const buffer = await readFile(join(this.shardsDir, `${rootHex}.shard`));
			data = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
		} catch {
			await this.quarantine(rootHex);
			throw new CorruptShardError(`shard ${rootHex} is missing from disk`);
		}
		if (toHex(shardRoot(data)) !== rootHex) {
			await this.quarantine(rootHex);
			throw new CorruptShardError(`stored shard ${rootHex} failed its Merkle check`);
		}
		return data;
	}

	private async quarantine(rootHex: string): Promise<void> {
		this.entries.delete(rootHex);
		await rename(
			join(this.shardsDir, `${rootHex}.shard`),
			join(this.quarantineDir, `${rootHex}.shard`),
		).catch(() => undefined);
		await rm(join(this.shardsDir, `${rootHex}.lease`), { force: true });
		this.init.onCorrupt?.(rootHex);
	}

	/** Deletes a shard; true when it was held. */
	async delete(root: Uint8Array): Promise<boolean> {
		const rootHex = toHex(root);
		const held = this.entries.delete(rootHex);
		await rm(join(this.shardsDir, `${rootHex}.shard`), { force: true });
		await rm(join(this.shardsDir, `${rootHex}.lease`), { force: true });
		return held;
	}

	/** Deletes every shard whose lease has run out; returns how many. */
	async sweepExpired(): Promise<number> {
		const now = this.now();
		let removed = 0;
		for (const [rootHex, entry] of [...this.entries]) {
			if (entry.leaseUntil <= now) {
				await this.delete(fromHex(rootHex, 32) as Uint8Array);
				removed++;
			}
		}
		return removed;
	}

	/** Every live shard. */
	list(): ShardInfo[] {
		const now = this.now();
		return [...this.entries]
			.filter(([, e]) => e.leaseUntil > now)
			.map(([rootHex, e]) => ({ rootHex, ...e }));
	}
}

/**
 * Opens (creating if needed) the shard store in `init.dir`.
 * @example const store = await openShardStore({ dir: "./data/node-0", capacityBytes: 10 * 2 ** 30 })
 */
export async function openShardStore(init: ShardStoreInit): Promise<ShardStore> {
	const store = new ShardStore(init);
	await store.load();
	return store;
}
