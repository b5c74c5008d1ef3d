// The body of a chunk download (GET /api/chunks/<version>/<chunk>?shards=…): the listed shards
// in the listed order, each as one frame — a status byte, the length as 4 bytes big-endian, then
// that many bytes. Status 0 carries the shard; the others carry nothing and say why. Frames go
// out as soon as their shard arrived from its node and every frame before it went, so a slow
// node holds up only the frames after its own; each shard buffer is sent as it is, not copied.
// The browser's reader is client/vault/shard-frames.ts; a test checks the two agree.
import type { ShardRead } from "../services/files/uploads";

/** A frame's status byte. */
export const SHARD_FRAME_STATUS = {
	/** The shard's bytes follow. */
	OK: 0,
	/** No stored shard at that index (never placed, not stored yet, or released). */
	NOT_STORED: 1,
	/** The node holding it did not deliver it. */
	UNAVAILABLE: 2,
} as const;

/** Status byte and length. */
export const SHARD_FRAME_HEADER_BYTES = 5;

function frameHeader(status: number, length: number): Uint8Array {
	const header = new Uint8Array(SHARD_FRAME_HEADER_BYTES);
	header[0] = status;
	new DataView(header.buffer).setUint32(1, length);
	return header;
}

function statusOf(read: ShardRead): number {
	if ("data" in read) return SHARD_FRAME_STATUS.OK;
	return read.error.code === "NOT_FOUND"
		? SHARD_FRAME_STATUS.NOT_STORED
		: SHARD_FRAME_STATUS.UNAVAILABLE;
}

/** The frames of `reads` (pending, in the listed order) as a byte stream. */
export function shardFramesBody(reads: readonly Promise<ShardRead>[]): ReadableStream<Uint8Array> {
	let next = 0;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			const pending = reads[next++];
			if (!pending) {
				controller.close();
				return;
			}
			const read = await pending;
			if ("data" in read) {
				controller.enqueue(frameHeader(statusOf(read), read.data.byteLength));
				if (read.data.byteLength > 0) controller.enqueue(read.data);
				return;
			}
			if (read.error.code === "INTERNAL") console.error("Shard gateway failed:", read.error);
			controller.enqueue(frameHeader(statusOf(read), 0));
		},
	});
}
