// A small free list of the store's write pieces (the 256 KiB buffers a streamed put gathers
// bytes in before hashing and writing them). A piece goes back only once its write finished,
// when the kernel has its own copy of the bytes; the next put fills it again instead of
// allocating fresh memory for every piece, which measured ~10% of a storage node's CPU per
// 4 MiB put. At most `maxFree` pieces wait here (4 MiB at the default).

/** Free list of equal-sized byte buffers. */
export class PiecePool {
	private readonly free: Uint8Array[] = [];

	constructor(
		readonly pieceBytes: number,
		private readonly maxFree = 16,
	) {}

	/** A buffer of `size` bytes: a reused piece when `size` is the piece size, else a new one. */
	take(size: number): Uint8Array {
		if (size === this.pieceBytes) {
			const piece = this.free.pop();
			if (piece) return piece;
		}
		return new Uint8Array(size);
	}

	/** Returns a piece once nothing reads it any more; other sizes and extras are dropped. */
	release(piece: Uint8Array): void {
		if (piece.length === this.pieceBytes && this.free.length < this.maxFree) this.free.push(piece);
	}

	/** Pieces waiting to be reused. */
	get freeCount(): number {
		return this.free.length;
	}
}
