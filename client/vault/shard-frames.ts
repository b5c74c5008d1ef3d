// Reads the body of a chunk download (GET /api/chunks/<version>/<chunk>?shards=…): one frame per
// listed shard, in the listed order — a status byte, the length as 4 bytes big-endian, then that
// many bytes (server/http/shard-frames.ts writes them; a test checks the two agree). Each shard
// lands in a buffer the caller provides, of the size the manifest gives; a frame of any other
// length, an unknown status or a body cut short ends the reading, and the shards not read by then
// are reported as such (the caller may ask for them again). Nothing here trusts the bytes: the
// caller checks each shard against its Merkle root.
import { ExactBodyReader } from "./read-body";

/** Status bytes, as server/http/shard-frames.ts SHARD_FRAME_STATUS. */
const OK = 0;
const NOT_STORED = 1;
const UNAVAILABLE = 2;
const HEADER_BYTES = 5;

/** One listed shard as the body delivered it. */
export type FramedShard =
	| { shard: Uint8Array<ArrayBuffer> }
	/** The gateway said it could not get it (not stored, node unavailable). */
	| { missing: true }
	/** The body failed, ended or went wrong before this shard's frame was read. */
	| { notRead: true }
	/** A frame of another length than the shard's: not this shard. */
	| { wrongLength: true };

/**
 * Reads `count` frames of shards of `size` bytes from `body`, calling `onShard` with each as
 * soon as it is read (in order); a shard's buffer comes from `take`. Once the body goes wrong,
 * the remaining shards are reported not read and the body is not read further.
 */
export async function readShardFrames(
	body: ReadableStream<Uint8Array>,
	count: number,
	size: number,
	take: () => Uint8Array<ArrayBuffer>,
	onShard: (position: number, shard: FramedShard) => void,
): Promise<void> {
	const reader = new ExactBodyReader(body);
	let position = 0;
	try {
		for (; position < count; position++) {
			const header = await reader.readInto(new Uint8Array(HEADER_BYTES));
			if (!header) break;
			const status = header[0];
			const length = new DataView(header.buffer, header.byteOffset).getUint32(1);
			if (status === NOT_STORED || status === UNAVAILABLE) {
				if (length !== 0) break;
				onShard(position, { missing: true });
				continue;
			}
			if (status !== OK) break;
			if (length !== size) {
				onShard(position++, { wrongLength: true });
				break;
			}
			const shard = await reader.readInto(take());
			if (!shard) break;
			onShard(position, { shard });
		}
	} catch {
		// Read as far as it went: the shards not read count as missing below.
	} finally {
		for (; position < count; position++) onShard(position, { notRead: true });
		await reader.cancel();
	}
}
