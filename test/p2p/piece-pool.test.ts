// The store's free list of write pieces: a released piece is handed out again, other sizes are
// never pooled, and no more than the bound wait to be reused.
import { describe, expect, it } from "vitest";
import { PiecePool } from "../../p2p/store/piece-pool";

describe("PiecePool", () => {
	it("hands a released piece out again, and a new one when none is free", () => {
		const pool = new PiecePool(1024);
		const first = pool.take(1024);
		expect(first.length).toBe(1024);
		expect(pool.take(1024)).not.toBe(first);
		pool.release(first);
		expect(pool.freeCount).toBe(1);
		expect(pool.take(1024)).toBe(first);
		expect(pool.freeCount).toBe(0);
	});

	it("pools only pieces of its size, and at most its bound", () => {
		const pool = new PiecePool(1024, 2);
		const short = pool.take(100);
		expect(short.length).toBe(100);
		pool.release(short);
		pool.release(new Uint8Array(2048));
		expect(pool.freeCount).toBe(0);
		for (let i = 0; i < 5; i++) pool.release(new Uint8Array(1024));
		expect(pool.freeCount).toBe(2);
		expect(pool.take(100)).not.toBe(short);
	});
});
