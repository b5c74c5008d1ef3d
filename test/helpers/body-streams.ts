// Response-like bodies for tests of the download's body readers (client/vault/read-body,
// shard-frames): a byte stream a BYOB reader can fill in place, and a default stream of pieces,
// both delivering given bytes in pieces of a given size.

/** `length` bytes of a fixed pattern (`seed` shifts it). */
export const bytes = (length: number, seed = 1) =>
	Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

/** A byte stream (BYOB-capable) that delivers `data` in pieces of at most `piece` bytes. */
export function byteStream(data: Uint8Array, piece: number): ReadableStream<Uint8Array> {
	let offset = 0;
	return new ReadableStream({
		type: "bytes",
		pull(controller) {
			if (offset >= data.length) {
				controller.close();
				controller.byobRequest?.respond(0);
				return;
			}
			const request = controller.byobRequest;
			const end = Math.min(data.length, offset + piece);
			if (request?.view) {
				const view = new Uint8Array(
					request.view.buffer,
					request.view.byteOffset,
					request.view.byteLength,
				);
				const n = Math.min(view.length, end - offset);
				view.set(data.subarray(offset, offset + n));
				offset += n;
				request.respond(n);
			} else {
				controller.enqueue(data.slice(offset, end));
				offset = end;
			}
		},
	});
}

/** A plain (default) stream delivering `data` in pieces. */
export function pieceStream(data: Uint8Array, piece: number): ReadableStream<Uint8Array> {
	let offset = 0;
	return new ReadableStream({
		pull(controller) {
			if (offset >= data.length) return controller.close();
			controller.enqueue(data.slice(offset, offset + piece));
			offset += piece;
		},
	});
}
