// A small free list of the store's write pieces (the 256 KiB buffers a streamed put gathers
// bytes in before hashing and writing them). A piece goes back only once its write finished,
// when the kernel has its own copy of the bytes; the next put fills it again instead of
// allocating fresh memory for every piece, which measured ~10% of a storage node's CPU per
// 4 MiB put. At most `maxFree` pieces wait here (4 MiB at the default); beyond them a put gets
// new pieces, as many as it needs, never a wait.
// Every piece is its own resizable ArrayBuffer of fixed size, because V8 reserves such a
// buffer's memory page-aligned, so a piece starts on a 4 KiB boundary as direct (O_DIRECT) file
// writes require; JavaScript has no other way to get memory of a known alignment (direct
// writes from a plain ArrayBuffer fail with EINVAL here: its bytes are not page-aligned). The
// store checks once that a direct write from a piece works before it writes directly
// (ShardStore.load).

/** Free list of equal-sized, page-aligned byte buffers. */
export class PiecePool {
	private readonly free: Uint8Array<ArrayBuffer>[] = [];

	constructor(
		readonly pieceBytes: number,
		private readonly maxFree = 16,
	) {
		if (!Number.isSafeInteger(pieceBytes) || pieceBytes <= 0 || pieceBytes % 4096 !== 0) {
			throw new RangeError("a piece is a positive multiple of 4 KiB");
		}
	}

	/** A whole piece: a reused one (holding whatever it last held) or a new one. */
	take(): Uint8Array<ArrayBuffer> {
		const piece = this.free.pop();
		if (piece) return piece;
		// Resizable, for its page-aligned memory; never resized.
		return new Uint8Array(new ArrayBuffer(this.pieceBytes, { maxByteLength: this.pieceBytes }));
	}

	/**
	 * Returns a piece once nothing reads it any more; extras, other sizes and buffers that are
	 * not whole pieces of their own (so not known to be aligned) are dropped.
	 */
	release(piece: Uint8Array<ArrayBuffer>): void {
		const whole =
			piece.length === this.pieceBytes && piece.byteOffset === 0 && piece.buffer.resizable;
		if (whole && this.free.length < this.maxFree) this.free.push(piece);
	}

	/** Pieces waiting to be reused. */
	get freeCount(): number {
		return this.free.length;
	}
}
