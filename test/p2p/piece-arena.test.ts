// The store's write pieces: page-aligned views of one growing buffer, reused once released,
// bounded, with takers waiting past the bound.
import { describe, expect, it } from "vitest";
import { PieceArena } from "../../p2p/store/piece-arena";

const KIB = 1024;

describe("PieceArena", () => {
	it("hands out pieces of one buffer at piece-sized offsets, and a released piece again", () => {
		const arena = new PieceArena({ pieceBytes: 64 * KIB, slabPieces: 4, maxPieces: 8 });
		const first = arena.take() as Uint8Array;
		expect(first.length).toBe(64 * KIB);
		expect(arena.size).toBe(4);
		const others = [arena.take(), arena.take(), arena.take()] as Uint8Array[];
		const offsets = [first, ...others].map((piece) => piece.byteOffset).sort((a, b) => a - b);
		expect(offsets).toEqual([0, 64 * KIB, 128 * KIB, 192 * KIB]);
		for (const piece of others) expect(piece.buffer).toBe(first.buffer);
		arena.release(first);
		expect(arena.freeCount).toBe(1);
		expect(arena.take()).toBe(first);
	});

	it("grows by a slab when none is free, keeping the pieces it handed out", () => {
		const arena = new PieceArena({ pieceBytes: 4 * KIB, slabPieces: 2, maxPieces: 6 });
		const first = arena.take() as Uint8Array;
		first.fill(7);
		arena.take();
		const third = arena.take() as Uint8Array;
		expect(arena.size).toBe(4);
		expect(third.byteOffset).toBe(8 * KIB);
		// Growing moved nothing: the first piece still holds what was written into it.
		expect(first.every((byte) => byte === 7)).toBe(true);
	});

	it("makes a taker wait at the bound until a piece is released", async () => {
		const arena = new PieceArena({ pieceBytes: 4 * KIB, slabPieces: 1, maxPieces: 2 });
		const a = arena.take() as Uint8Array;
		arena.take();
		const waiting = arena.take();
		expect(waiting).toBeInstanceOf(Promise);
		expect(arena.size).toBe(2);
		arena.release(a);
		expect(await waiting).toBe(a);
		expect(arena.freeCount).toBe(0);
	});

	it("ignores pieces it did not make, and refuses sizes off the 4 KiB blocks", () => {
		const arena = new PieceArena({ pieceBytes: 4 * KIB });
		arena.release(new Uint8Array(4 * KIB));
		expect(arena.freeCount).toBe(0);
		expect(() => new PieceArena({ pieceBytes: 5_000 })).toThrow(RangeError);
	});
});
