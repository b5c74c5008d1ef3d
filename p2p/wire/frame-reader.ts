// Reads unsigned-varint length-prefixed frames from a libp2p 3 stream, the framing of every
// Coffre protocol (the same bytes it-length-prefixed writes). Unlike it-length-prefixed's
// decoder, which must hold a whole frame before handing it out, it can also hand out one frame
// as the pieces that arrive (`body`), so a multi-MiB shard body is hashed and written while it
// is still arriving and never gathered into one buffer. It never reads past the frame it was
// asked for, and never accepts a length above the caller's bound.
import { Uint8ArrayList } from "uint8arraylist";

/** A frame announced a length above the reader's bound. */
export class FrameTooLargeError extends Error {
	override name = "FrameTooLargeError";
}

/** The stream ended in the middle of a frame. */
export class TruncatedFrameError extends Error {
	override name = "TruncatedFrameError";
}

/** Longest varint accepted: 5 bytes cover every length up to 2^35, far above any bound. */
const MAX_VARINT_BYTES = 5;

/** Pull-based frame reader over one stream; create one per stream and keep it. */
export class FrameReader {
	private readonly iterator: AsyncIterator<Uint8Array | Uint8ArrayList>;
	private readonly buffer = new Uint8ArrayList();
	private ended = false;
	/** A pull started by `readAhead`, which the next read waits for first. */
	private ahead: Promise<boolean> | null = null;

	constructor(source: AsyncIterable<Uint8Array | Uint8ArrayList>) {
		this.iterator = source[Symbol.asyncIterator]();
	}

	/** Bytes received and not read yet. */
	get buffered(): number {
		return this.buffer.byteLength;
	}

	/** Whether the stream ended, as far as this reader has seen. */
	get hasEnded(): boolean {
		return this.ended;
	}

	/**
	 * Starts waiting for the stream's next chunk while nobody reads (a stream kept between
	 * calls): bytes that arrive meanwhile land in `buffered` instead of waiting unseen in the
	 * stream's queue, and an end is seen in `hasEnded`. The next read takes that pull's result.
	 */
	readAhead(): void {
		if (this.ahead || this.ended) return;
		const ahead = this.pullNow();
		// Its failure is the next read's to report; none may go unhandled meanwhile.
		ahead.catch(() => undefined);
		this.ahead = ahead;
	}

	/** Pulls one more chunk into the buffer; false when the stream has ended. */
	private async pull(): Promise<boolean> {
		const ahead = this.ahead;
		if (ahead) {
			this.ahead = null;
			return ahead;
		}
		return this.pullNow();
	}

	private async pullNow(): Promise<boolean> {
		if (this.ended) return false;
		const next = await this.iterator.next();
		if (next.done) {
			this.ended = true;
			return false;
		}
		this.buffer.append(next.value);
		return true;
	}

	/**
	 * The next frame's announced length, or null when the stream ended cleanly between frames.
	 * Throws FrameTooLargeError above `maxBytes`.
	 */
	async readLength(maxBytes: number): Promise<number | null> {
		let value = 0;
		for (let i = 0; ; i++) {
			while (this.buffer.byteLength <= i) {
				if (!(await this.pull())) {
					if (i === 0) return null;
					throw new TruncatedFrameError("the stream ended inside a length prefix");
				}
			}
			const byte = this.buffer.get(i);
			value += (byte & 0x7f) * 2 ** (7 * i);
			if ((byte & 0x80) === 0) {
				this.buffer.consume(i + 1);
				break;
			}
			if (i + 1 >= MAX_VARINT_BYTES) {
				throw new FrameTooLargeError(`frames are limited to ${maxBytes} bytes`);
			}
		}
		if (value > maxBytes) throw new FrameTooLargeError(`frames are limited to ${maxBytes} bytes`);
		return value;
	}

	/** The next whole frame (at most `maxBytes`), or null when the stream ended cleanly. */
	async readFrame(maxBytes: number): Promise<Uint8Array | null> {
		const length = await this.readLength(maxBytes);
		if (length === null) return null;
		while (this.buffer.byteLength < length) {
			if (!(await this.pull())) throw new TruncatedFrameError("the stream ended inside a frame");
		}
		const frame = this.buffer.subarray(0, length);
		this.buffer.consume(length);
		return frame;
	}

	/**
	 * The next `length` bytes (the body of a frame whose length was just read), as the pieces
	 * that arrive: views, not copies, valid until the caller pulls the next piece.
	 */
	async *body(length: number): AsyncGenerator<Uint8Array> {
		let left = length;
		while (left > 0) {
			if (this.buffer.byteLength === 0 && !(await this.pull())) {
				throw new TruncatedFrameError("the stream ended inside a frame");
			}
			// Hand out whole buffered chunks where possible; split only at the frame's end.
			const first = this.buffer[Symbol.iterator]().next().value as Uint8Array;
			const piece = first.length <= left ? first : first.subarray(0, left);
			this.buffer.consume(piece.length);
			left -= piece.length;
			yield piece;
		}
	}

	/** Reads and discards the next `length` bytes. */
	async skip(length: number): Promise<void> {
		for await (const _ of this.body(length)) {
			// discarded
		}
	}

	/** Stops reading: releases the stream's listeners. */
	async close(): Promise<void> {
		await this.iterator.return?.();
	}
}
