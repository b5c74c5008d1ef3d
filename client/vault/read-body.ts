// Reads HTTP response bodies of known lengths into buffers the caller provides, so a download
// fills pooled memory instead of a new buffer per shard. (The upload worker reads the file with
// one arrayBuffer() call per chunk instead: see chunk-worker.ts.) Where the browser's body
// stream takes caller-provided buffers (a byte stream with a BYOB reader) the bytes land in
// place; elsewhere each piece is copied in. A body of any other length is reported as such —
// never truncated or silently padded — and the rest of it is not read.

/** What a body turned out to be: exactly the expected bytes, or a different length. */
export type BodyRead = { bytes: Uint8Array<ArrayBuffer> } | { wrongLength: true };

/**
 * Fills `target` from `body`, which must end exactly there. `target`'s buffer may be moved by
 * the reading (a BYOB read transfers it): use the returned view, not `target`.
 */
export async function readBodyInto(
	body: ReadableStream<Uint8Array>,
	target: Uint8Array<ArrayBuffer>,
): Promise<BodyRead> {
	const reader = new ExactBodyReader(body);
	try {
		const bytes = await reader.readInto(target);
		// A longer body is not this shard.
		if (!bytes || !(await reader.atEnd())) return { wrongLength: true };
		return { bytes };
	} finally {
		await reader.cancel();
	}
}

/**
 * Reads a body in parts of lengths the caller knows one after another (a framed body): each
 * `readInto` fills its target exactly, or says the body ended first.
 */
export class ExactBodyReader {
	readonly #byob: ReadableStreamBYOBReader | null;
	readonly #pieces: ReadableStreamDefaultReader<Uint8Array> | null;
	/** Bytes a piece reader received beyond the last part read. */
	#leftover: Uint8Array | null = null;

	constructor(body: ReadableStream<Uint8Array>) {
		this.#byob = byobReaderOf(body);
		this.#pieces = this.#byob ? null : body.getReader();
	}

	/**
	 * Fills `target` with the body's next `target.length` bytes; null when the body ends first.
	 * `target`'s buffer may be moved by the reading: use the returned view.
	 */
	async readInto(target: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer> | null> {
		return this.#byob ? readByob(this.#byob, target) : this.#readPieces(target);
	}

	/** Whether the body has no more bytes (reads one byte ahead to know; call it last). */
	async atEnd(): Promise<boolean> {
		if (this.#byob) return (await this.#byob.read(new Uint8Array(1))).done;
		if (this.#leftover && this.#leftover.length > 0) return false;
		const pieces = this.#pieces as ReadableStreamDefaultReader<Uint8Array>;
		for (;;) {
			const { done, value } = await pieces.read();
			if (done) return true;
			if (value.length > 0) return false;
		}
	}

	/** Stops reading; the rest of the body is dropped. */
	async cancel(): Promise<void> {
		await (this.#byob ?? this.#pieces)?.cancel().catch(() => {});
	}

	async #readPieces(target: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer> | null> {
		const pieces = this.#pieces as ReadableStreamDefaultReader<Uint8Array>;
		let filled = 0;
		while (filled < target.length) {
			let piece = this.#leftover;
			this.#leftover = null;
			if (!piece) {
				const { done, value } = await pieces.read();
				if (done) return null;
				piece = value;
			}
			const taken = Math.min(piece.length, target.length - filled);
			target.set(piece.subarray(0, taken), filled);
			filled += taken;
			if (taken < piece.length) this.#leftover = piece.subarray(taken);
		}
		return target;
	}
}

function byobReaderOf(body: ReadableStream<Uint8Array>): ReadableStreamBYOBReader | null {
	try {
		return body.getReader({ mode: "byob" });
	} catch {
		return null; // not a byte stream in this browser
	}
}

async function readByob(
	reader: ReadableStreamBYOBReader,
	target: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer> | null> {
	const { buffer, byteOffset, length } = target;
	let current = buffer;
	let filled = 0;
	while (filled < length) {
		const { done, value } = await reader.read(
			new Uint8Array(current, byteOffset + filled, length - filled),
		);
		if (done || !value) return null;
		current = value.buffer as ArrayBuffer;
		filled += value.length;
	}
	return new Uint8Array(current, byteOffset, length);
}
