// Reads a body of a known length (an HTTP response's) into a buffer the caller provides, so a
// download fills pooled memory instead of a new buffer per shard. (The upload worker reads the
// file with one arrayBuffer() call per chunk instead: see chunk-worker.ts.) Where the browser's
// body stream takes caller-provided buffers (a byte stream with a BYOB reader) the bytes land
// in place; elsewhere each piece is copied in. A body of any other length is reported as such —
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
	const byob = byobReaderOf(body);
	return byob ? readByob(byob, target) : readPieces(body.getReader(), target);
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
): Promise<BodyRead> {
	const { buffer, byteOffset, length } = target;
	let current = buffer;
	let filled = 0;
	try {
		while (filled < length) {
			const { done, value } = await reader.read(
				new Uint8Array(current, byteOffset + filled, length - filled),
			);
			if (done || !value) return { wrongLength: true };
			current = value.buffer as ArrayBuffer;
			filled += value.length;
		}
		// One more read must find the end: a longer body is not this shard.
		const after = await reader.read(new Uint8Array(1));
		if (!after.done) return { wrongLength: true };
		return { bytes: new Uint8Array(current, byteOffset, length) };
	} finally {
		await reader.cancel().catch(() => {});
	}
}

async function readPieces(
	reader: ReadableStreamDefaultReader<Uint8Array>,
	target: Uint8Array<ArrayBuffer>,
): Promise<BodyRead> {
	let filled = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return filled === target.length ? { bytes: target } : { wrongLength: true };
			if (value.length > target.length - filled) return { wrongLength: true };
			target.set(value, filled);
			filled += value.length;
		}
	} finally {
		await reader.cancel().catch(() => {});
	}
}
