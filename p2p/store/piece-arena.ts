// The store's write pieces: 256 KiB buffers a streamed put gathers bytes in before they are
// hashed and written. They are carved out of one resizable ArrayBuffer, whose memory V8 reserves
// page-aligned and never moves when it grows, so every piece starts on a 4 KiB boundary as
// direct (O_DIRECT) file writes require; JavaScript has no other way to get memory of a known
// alignment (a plain ArrayBuffer's bytes are not page-aligned here: direct writes from one fail
// with EINVAL). The store checks
// once that a direct write from a piece works before it writes directly (ShardStore.load).
// Pieces are reused once released (when their write is done). The buffer grows by a slab of
// pieces when none is free, up to a bound; past it a put waits for a released piece instead of
// allocating more, so a node under a burst of puts slows its senders rather than growing
// without end. The buffer is never shrunk: the memory of the largest burst seen stays with the
// process, at most `maxPieces` × the piece size.

/** Options of a PieceArena. */
export interface PieceArenaInit {
	/** Bytes per piece: a positive multiple of 4 KiB. */
	pieceBytes: number;
	/** Pieces added each time none is free. */
	slabPieces?: number;
	/** Most pieces ever made. */
	maxPieces?: number;
}

/** Fixed-size, page-aligned buffers with a free list and a bound. */
export class PieceArena {
	readonly pieceBytes: number;
	readonly maxPieces: number;
	private readonly slabPieces: number;
	private readonly memory: ArrayBuffer;
	private made = 0;
	private readonly free: Uint8Array<ArrayBuffer>[] = [];
	private readonly waiting: ((piece: Uint8Array<ArrayBuffer>) => void)[] = [];
	/** Every piece made here: only these are ever taken back. */
	private readonly pieces = new WeakSet<Uint8Array>();

	constructor(init: PieceArenaInit) {
		if (!Number.isSafeInteger(init.pieceBytes) || init.pieceBytes <= 0 || init.pieceBytes % 4096) {
			throw new RangeError("a piece is a positive multiple of 4 KiB");
		}
		this.pieceBytes = init.pieceBytes;
		this.maxPieces = Math.max(1, init.maxPieces ?? 128);
		this.slabPieces = Math.min(this.maxPieces, Math.max(1, init.slabPieces ?? 16));
		// Reserves address space for the bound; memory is committed as slabs are added.
		this.memory = new ArrayBuffer(0, { maxByteLength: this.maxPieces * this.pieceBytes });
	}

	/** Pieces made so far (free or in use). */
	get size(): number {
		return this.made;
	}

	/** Pieces waiting to be reused. */
	get freeCount(): number {
		return this.free.length;
	}

	/**
	 * A free piece (all `pieceBytes` of it, holding whatever it last held), or, when every piece
	 * is in use and the bound is reached, a promise of the next one released.
	 */
	take(): Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>> {
		const piece = this.free.pop() ?? this.grow();
		if (piece !== null) return piece;
		return new Promise((resolve) => this.waiting.push(resolve));
	}

	/** Gives back a piece `take` handed out, once nothing reads or writes it any more. */
	release(piece: Uint8Array): void {
		if (!this.pieces.has(piece)) return;
		const owned = piece as Uint8Array<ArrayBuffer>;
		const next = this.waiting.shift();
		if (next) next(owned);
		else this.free.push(owned);
	}

	/** Adds a slab and hands out its first piece; null at the bound. */
	private grow(): Uint8Array<ArrayBuffer> | null {
		const count = Math.min(this.slabPieces, this.maxPieces - this.made);
		if (count <= 0) return null;
		const first = this.made;
		this.made += count;
		// Growing keeps the bytes where they are: earlier pieces stay valid.
		this.memory.resize(this.made * this.pieceBytes);
		const made: Uint8Array<ArrayBuffer>[] = [];
		for (let i = first; i < this.made; i++) {
			const piece = new Uint8Array(this.memory, i * this.pieceBytes, this.pieceBytes);
			this.pieces.add(piece);
			made.push(piece);
		}
		this.free.push(...made.slice(1).reverse());
		return made[0] as Uint8Array<ArrayBuffer>;
	}
}
