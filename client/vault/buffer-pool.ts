// Reusable byte buffers for transfers. A download would otherwise allocate every shard, every
// joined chunk and every body piece anew — hundreds of MiB of garbage per file that the browser
// keeps until its next collection, which is what made a download's memory grow far past the
// few chunks it actually holds. Buffers taken here go back when their bytes are no longer
// needed and are handed out again; the pool keeps at most `keep` of them.

export class BufferPool {
	readonly #free: ArrayBuffer[] = [];

	constructor(private readonly keep: number) {}

	/**
	 * `size` bytes (old contents unless new): a view of the smallest free buffer that large, or
	 * of a new one.
	 */
	take(size: number): Uint8Array<ArrayBuffer> {
		let best = -1;
		this.#free.forEach((buffer, at) => {
			const fits = buffer.byteLength >= size;
			if (fits && (best < 0 || buffer.byteLength < (this.#free[best] as ArrayBuffer).byteLength))
				best = at;
		});
		const buffer =
			best >= 0 ? (this.#free.splice(best, 1)[0] as ArrayBuffer) : new ArrayBuffer(size);
		return new Uint8Array(buffer, 0, size);
	}

	/**
	 * Hands `bytes`' buffer back once nothing reads it any more. A buffer that was moved away
	 * (transferred, so now empty) or is already free is ignored; beyond `keep` it is dropped.
	 */
	give(bytes: Uint8Array): void {
		const buffer = bytes.buffer;
		if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) return;
		if (this.#free.includes(buffer) || this.#free.length >= this.keep) return;
		this.#free.push(buffer);
	}

	/** Buffers waiting to be taken again. */
	get freeCount(): number {
		return this.#free.length;
	}
}
