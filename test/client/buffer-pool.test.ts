// The transfer buffer pool: buffers come back and are handed out again (smallest that fits),
// moved or surplus buffers are not kept.
import { describe, expect, it } from "vitest";
import { BufferPool } from "../../client/vault/buffer-pool";

describe("BufferPool", () => {
	it("hands a given-back buffer out again, as a view of the size asked", () => {
		const pool = new BufferPool(4);
		const first = pool.take(100);
		expect(first.length).toBe(100);
		pool.give(first);
		const again = pool.take(60);
		expect(again.buffer).toBe(first.buffer);
		expect(again.length).toBe(60);
		expect(pool.freeCount).toBe(0);
	});

	it("takes the smallest free buffer that fits and makes a new one when none does", () => {
		const pool = new BufferPool(4);
		const large = pool.take(4096);
		const small = pool.take(1024);
		pool.give(large);
		pool.give(small);
		expect(pool.take(1000).buffer).toBe(small.buffer);
		const bigger = pool.take(8192);
		expect(bigger.buffer).not.toBe(large.buffer);
		expect(bigger.buffer.byteLength).toBe(8192);
		expect(pool.freeCount).toBe(1);
	});

	it("ignores transferred buffers, buffers given twice and buffers beyond its size", () => {
		const pool = new BufferPool(2);
		const moved = pool.take(16);
		structuredClone(moved.buffer, { transfer: [moved.buffer] });
		pool.give(moved);
		expect(pool.freeCount).toBe(0);
		const a = pool.take(16);
		const b = pool.take(16);
		const c = pool.take(16);
		pool.give(a);
		pool.give(a);
		expect(pool.freeCount).toBe(1);
		pool.give(b);
		pool.give(c);
		expect(pool.freeCount).toBe(2);
	});
});
