// Freeing a buffer at once: it is moved out (every view reads as empty), whatever cannot be
// moved is left alone, and nothing throws.
import { describe, expect, it } from "vitest";
import { freeBuffer } from "../../client/vault/free-buffer";

describe("freeBuffer", () => {
	it("moves the whole buffer out, so every view of it is empty", () => {
		const buffer = new ArrayBuffer(1024);
		const whole = new Uint8Array(buffer).fill(7);
		const part = whole.subarray(100, 200);
		freeBuffer(part);
		expect(buffer.byteLength).toBe(0);
		expect(buffer.detached).toBe(true);
		expect(whole.length).toBe(0);
		expect(part.length).toBe(0);
	});

	it("leaves buffers already moved, empty or shared as they are", () => {
		const moved = new Uint8Array(16);
		structuredClone(moved.buffer, { transfer: [moved.buffer] });
		expect(() => freeBuffer(moved)).not.toThrow();
		expect(() => freeBuffer(new Uint8Array(0))).not.toThrow();
		const shared = new Uint8Array(new SharedArrayBuffer(16)).fill(1);
		freeBuffer(shared);
		expect(shared.length).toBe(16);
		expect(shared[0]).toBe(1);
	});

	it("frees one buffer after another through the same port", () => {
		const buffers = Array.from({ length: 5 }, () => new Uint8Array(4096));
		for (const bytes of buffers) freeBuffer(bytes);
		expect(buffers.every((bytes) => bytes.buffer.byteLength === 0)).toBe(true);
	});
});
