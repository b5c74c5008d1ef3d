// The disk store: content addressing, root checks on write and read, capacity, leases.
import { copyFile, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shardRoot } from "../../crypto/merkle";
import { FIRST_READ_PIECE_BYTES, READ_PIECE_BYTES } from "../../p2p/store/shard-read";
import { openShardStore } from "../../p2p/store/shard-store";
import { toHex } from "../../p2p/wire/hex";

let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), "coffre-store-"));
});
afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

const shard = (size: number, seed: number) =>
	new Uint8Array(size).map((_, i) => (i * 7 + seed) & 0xff);
const FUTURE = Date.now() + 3_600_000;

describe("shard store", () => {
	it("stores under the Merkle root and reads back the same bytes after reopening", async () => {
		const data = shard(40_000, 1);
		const root = shardRoot(data);
		const store = await openShardStore({ dir, capacityBytes: 1e6 });
		await store.put(root, data, FUTURE);
		const reopened = await openShardStore({ dir, capacityBytes: 1e6 });
		expect(await reopened.get(root)).toEqual(data);
		expect(reopened.info(root)?.size).toBe(40_000);
	});

	it("keeps every byte of many puts at once, whose write pieces are reused", async () => {
		const store = await openShardStore({ dir, capacityBytes: 1e8 });
		// Eight shards of several pieces each, fed in uneven chunks, all streamed together, then
		// as many again: pieces freed by one put's writes fill the next ones.
		const sizes = [1_048_576, 700_001, 262_144, 1_300_000, 524_289, 999_999, 262_143, 2_000_000];
		for (const round of [0, 1]) {
			const shards = sizes.map((size, i) => shard(size, 10 * round + i + 1));
			const writes = await Promise.all(
				shards.map((data) => store.beginPut(shardRoot(data), data.length, FUTURE)),
			);
			for (let offset = 0; shards.some((data) => offset < data.length); offset += 65_537) {
				shards.forEach((data, i) => {
					if (offset < data.length) writes[i]?.write(data.subarray(offset, offset + 65_537));
				});
				// Let writes already queued run between the chunks, as between network reads.
				await new Promise((resolve) => setImmediate(resolve));
			}
			await Promise.all(writes.map((write) => write?.commit()));
			for (const data of shards) expect(await store.get(shardRoot(data))).toEqual(data);
		}
	});

	it("writes shard files directly to the disk, and through the page cache when told to", async () => {
		// Sizes off the 4 KiB blocks a direct write covers: the padding must be cut off again.
		const sizes = [0, 1, 4_095, 40_000, 262_145, 1_000_003];
		for (const directWrites of [true, false]) {
			const modeDir = join(dir, String(directWrites));
			const store = await openShardStore({ dir: modeDir, capacityBytes: 1e8, directWrites });
			// Linux file systems here take O_DIRECT; elsewhere the store falls back by itself.
			expect(store.writesDirect).toBe(directWrites && process.platform === "linux");
			for (const [i, size] of sizes.entries()) {
				const data = shard(size, i + 3);
				await store.put(shardRoot(data), data, FUTURE);
				const file = join(modeDir, "shards", `${toHex(shardRoot(data))}.shard`);
				expect((await stat(file)).size).toBe(size);
			}
			const reopened = await openShardStore({ dir: modeDir, capacityBytes: 1e8 });
			for (const [i, size] of sizes.entries()) {
				const data = shard(size, i + 3);
				expect(await reopened.get(shardRoot(data))).toEqual(data);
			}
		}
	});

	it("streams a shard in plain byte arrays that hold its bytes", async () => {
		const data = shard(2_500_000, 9);
		const store = await openShardStore({ dir, capacityBytes: 1e8 });
		await store.put(shardRoot(data), data, FUTURE);
		const read = await store.openRead(shardRoot(data));
		expect(read.size).toBe(data.length);
		const pieces: Uint8Array[] = [];
		for await (const piece of read.chunks) pieces.push(piece);
		expect(Buffer.concat(pieces)).toEqual(Buffer.from(data));
		// Not Buffers: a reader's slice() of a piece must be a copy, as for any Uint8Array.
		for (const piece of pieces) expect(Object.getPrototypeOf(piece)).toBe(Uint8Array.prototype);
	});

	it("streams a small first piece, then large ones, across every size around their bounds", async () => {
		const store = await openShardStore({ dir, capacityBytes: 1e8 });
		const first = FIRST_READ_PIECE_BYTES;
		expect(first).toBeLessThan(READ_PIECE_BYTES);
		const sizes = [0, 1, first - 1, first, first + 1, first + READ_PIECE_BYTES + 1, 3_000_000];
		for (const [i, size] of sizes.entries()) {
			const data = shard(size, 20 + i);
			await store.put(shardRoot(data), data, FUTURE);
			const read = await store.openRead(shardRoot(data));
			const pieces: Uint8Array[] = [];
			for await (const piece of read.chunks) pieces.push(piece);
			expect(Buffer.concat(pieces)).toEqual(Buffer.from(data));
			// The first bytes go out before a large piece is read and hashed.
			expect(pieces[0]?.length ?? 0).toBe(Math.min(first, size));
			for (const piece of pieces.slice(1))
				expect(piece.length).toBeLessThanOrEqual(READ_PIECE_BYTES);
		}
	});

	it("closes a shard's file when a read is released unread", async () => {
		const data = shard(300_000, 7);
		const store = await openShardStore({ dir, capacityBytes: 1e8 });
		await store.put(shardRoot(data), data, FUTURE);
		const openFiles = async () => (await readdir("/proc/self/fd")).length;
		const before = await openFiles();
		const reads = await Promise.all(
			Array.from({ length: 20 }, () => store.openRead(shardRoot(data))),
		);
		expect(await openFiles()).toBeGreaterThanOrEqual(before + 20);
		await Promise.all(reads.map((read) => read.release()));
		expect(await openFiles()).toBeLessThanOrEqual(before);
	});

	it("refuses bytes that do not hash to the given root", async () => {
		const store = await openShardStore({ dir, capacityBytes: 1e6 });
		await expect(store.put(shardRoot(shard(100, 1)), shard(100, 2), FUTURE)).rejects.toMatchObject({
			name: "RootMismatchError",
		});
		expect(store.count).toBe(0);
	});

	it("keeps nothing of a put whose file cannot be renamed into place", async () => {
		const store = await openShardStore({ dir, capacityBytes: 1e6 });
		const data = shard(50_000, 6);
		const write = await store.beginPut(shardRoot(data), data.length, FUTURE);
		write?.write(data);
		// The shard folder gone under the store's feet: both renames fail.
		await rm(join(dir, "shards"), { recursive: true });
		await expect(write?.commit()).rejects.toMatchObject({ code: "ENOENT" });
		expect(store.info(shardRoot(data))).toBeNull();
		expect(store.usedBytes).toBe(0);
		expect(await readdir(join(dir, "tmp"))).toEqual([]);
	});

	it("refuses a shard beyond capacity with a clear error", async () => {
		const store = await openShardStore({ dir, capacityBytes: 50_000 });
		await store.put(shardRoot(shard(30_000, 1)), shard(30_000, 1), FUTURE);
		const error = await store
			.put(shardRoot(shard(30_000, 2)), shard(30_000, 2), FUTURE)
			.catch((e) => e);
		expect(error.name).toBe("CapacityFullError");
		expect(error.message).toMatch(/storage full: 30000 of 50000 bytes used, shard needs 30000/);
	});

	it("quarantines and reports a corrupted file instead of serving it", async () => {
		const data = shard(20_000, 3);
		const root = shardRoot(data);
		const reported: string[] = [];
		const store = await openShardStore({
			dir,
			capacityBytes: 1e6,
			onCorrupt: (r) => reported.push(r),
		});
		await store.put(root, data, FUTURE);
		const rotten = data.slice();
		rotten[5_000] = (rotten[5_000] as number) ^ 1;
		await writeFile(join(dir, "shards", `${toHex(root)}.shard`), rotten);
		await expect(store.get(root)).rejects.toMatchObject({ name: "CorruptShardError" });
		expect(reported).toEqual([toHex(root)]);
		await expect(store.get(root)).rejects.toMatchObject({ name: "ShardNotFoundError" });
		expect(await readdir(join(dir, "quarantine"))).toEqual([`${toHex(root)}.shard`]);
	});

	it("expires shards whose lease was not renewed, and keeps renewed ones", async () => {
		let now = 1_000;
		const store = await openShardStore({ dir, capacityBytes: 1e6, now: () => now });
		const a = shard(1_000, 1);
		const b = shard(1_000, 2);
		await store.put(shardRoot(a), a, 2_000);
		await store.put(shardRoot(b), b, 2_000);
		await store.renew(shardRoot(b), 10_000);
		now = 5_000;
		expect(store.info(shardRoot(a))).toBeNull();
		expect(await store.sweepExpired()).toBe(1);
		expect(await store.get(shardRoot(b))).toEqual(b);
		expect(store.usedBytes).toBe(1_000);
	});

	it("stores again a shard whose lease ran out before it was swept", async () => {
		let now = 1_000;
		const store = await openShardStore({ dir, capacityBytes: 1e6, now: () => now });
		const data = shard(1_000, 5);
		await store.put(shardRoot(data), data, 2_000);
		now = 3_000;
		await store.put(shardRoot(data), data, 9_000);
		expect(store.info(shardRoot(data))?.leaseUntil).toBe(9_000);
		expect(await store.get(shardRoot(data))).toEqual(data);
	});

	it("opened read-only, leaves an in-progress write alone", async () => {
		await openShardStore({ dir, capacityBytes: 1e6 });
		await writeFile(join(dir, "tmp", "in-flight"), shard(10, 1));
		const readOnly = await openShardStore({ dir, capacityBytes: 1e6, readOnly: true });
		expect(readOnly.count).toBe(0);
		expect(await readdir(join(dir, "tmp"))).toEqual(["in-flight"]);
	});

	it("drops leftovers of interrupted writes when it opens", async () => {
		const store = await openShardStore({ dir, capacityBytes: 1e6 });
		const data = shard(1_000, 9);
		await store.put(shardRoot(data), data, FUTURE);
		const orphanRoot = toHex(shardRoot(shard(500, 4)));
		// A commit's two renames may land one without the other before a crash: a shard
		// without its lease, and a lease without its shard.
		await writeFile(join(dir, "shards", `${orphanRoot}.shard`), shard(500, 4));
		const leaseOnlyRoot = toHex(shardRoot(shard(600, 5)));
		await copyFile(
			join(dir, "shards", `${toHex(shardRoot(data))}.lease`),
			join(dir, "shards", `${leaseOnlyRoot}.lease`),
		);
		await writeFile(join(dir, "tmp", "partial"), shard(10, 1));
		const reopened = await openShardStore({ dir, capacityBytes: 1e6 });
		expect(reopened.list().map((s) => s.rootHex)).toEqual([toHex(shardRoot(data))]);
		expect((await readdir(join(dir, "shards"))).sort()).toEqual(
			[`${toHex(shardRoot(data))}.lease`, `${toHex(shardRoot(data))}.shard`].sort(),
		);
		expect(await readdir(join(dir, "tmp"))).toEqual([]);
	});
});
