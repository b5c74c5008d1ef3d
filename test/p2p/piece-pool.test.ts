// The store's free list of write pieces: a released piece is handed out again, other sizes are
// never pooled, no more than the bound wait to be reused, and past it pieces are made anew.
import { describe, expect, it } from "vitest";
import { PiecePool } from "../../p2p/store/piece-pool";

describe("PiecePool", () => {
	it("hands a released piece out again, and a new whole piece when none is free", () => {
		const pool = new PiecePool(4096);
		const first = pool.take();
		expect(first.length).toBe(4096);
		// Each piece is its own resizable buffer: the kind whose memory is page-aligned.
		expect(first.buffer.resizable).toBe(true);
		expect(first.byteOffset).toBe(0);
		const second = pool.take();
		expect(second).not.toBe(first);
		expect(second.buffer).not.toBe(first.buffer);
		pool.release(first);
		expect(pool.freeCount).toBe(1);
		expect(pool.take()).toBe(first);
		expect(pool.freeCount).toBe(0);
	});

	it("pools only pieces of its size, at most its bound, and refuses sizes off 4 KiB", () => {
		const pool = new PiecePool(4096, 2);
		pool.release(new Uint8Array(new ArrayBuffer(8192)));
		// A copy has the right size but a plain buffer, not known to be page-aligned.
		pool.release(pool.take().slice());
		expect(pool.freeCount).toBe(0);
		const taken = Array.from({ length: 5 }, () => pool.take());
		for (const piece of taken) pool.release(piece);
		expect(pool.freeCount).toBe(2);
		expect(() => new PiecePool(5_000)).toThrow(RangeError);
	});
});
