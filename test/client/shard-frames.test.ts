// A chunk download's framed body, written by the gateway (server/http/shard-frames) and read by
// the browser (client/vault/shard-frames): the two agree on every frame, from a byte stream
// and from a default one; a frame of the wrong length, an unknown status or a body cut short
// stops the reading, and every shard not read by then is reported so (to be asked for again).
import { describe, expect, it } from "vitest";
import { type FramedShard, readShardFrames } from "../../client/vault/shard-frames";
import { AppError } from "../../server/errors";
import { SHARD_FRAME_STATUS, shardFramesBody } from "../../server/http/shard-frames";
import type { ShardRead } from "../../server/services/files/uploads";
import { byteStream, bytes, pieceStream } from "../helpers/body-streams";

const SIZE = 3_000;

async function bodyOf(reads: ShardRead[]): Promise<Uint8Array> {
	const delayed = reads.map(
		(read, i) => new Promise<ShardRead>((resolve) => setTimeout(() => resolve(read), 5 * (3 - i))),
	);
	return new Uint8Array(await new Response(shardFramesBody(delayed)).arrayBuffer());
}

const frame = (status: number, payload: Uint8Array) => {
	const header = new Uint8Array(5);
	header[0] = status;
	new DataView(header.buffer).setUint32(1, payload.length);
	return Uint8Array.from([...header, ...payload]);
};

describe.each([
	["a byte stream", byteStream],
	["a default stream", pieceStream],
])("readShardFrames from %s", (_, make) => {
	const read = async (body: Uint8Array, count: number, piece = 1_000) => {
		const seen: [number, FramedShard][] = [];
		await readShardFrames(
			make(body, piece),
			count,
			SIZE,
			() => new Uint8Array(SIZE),
			(position, shard) => seen.push([position, shard]),
		);
		return seen;
	};

	it("reads back what the gateway wrote, in the listed order, whatever order shards arrived in", async () => {
		const body = await bodyOf([
			{ shardIndex: 2, data: bytes(SIZE, 2) },
			{ shardIndex: 0, error: new AppError("NOT_FOUND", "This shard is not stored.") },
			{ shardIndex: 1, error: new AppError("UNAVAILABLE", "The storage node is unavailable.") },
			{ shardIndex: 3, data: bytes(SIZE, 3) },
		]);
		for (const piece of [1, 7, 4_096])
			expect(await read(body, 4, piece)).toEqual([
				[0, { shard: bytes(SIZE, 2) }],
				[1, { missing: true }],
				[2, { missing: true }],
				[3, { shard: bytes(SIZE, 3) }],
			]);
	});

	it("stops at a frame of another length than the shard's", async () => {
		const body = Uint8Array.from([
			...frame(SHARD_FRAME_STATUS.OK, bytes(SIZE, 1)),
			...frame(SHARD_FRAME_STATUS.OK, bytes(SIZE + 1, 2)),
			...frame(SHARD_FRAME_STATUS.OK, bytes(SIZE, 3)),
		]);
		expect(await read(body, 3)).toEqual([
			[0, { shard: bytes(SIZE, 1) }],
			[1, { wrongLength: true }],
			[2, { notRead: true }],
		]);
	});

	it("stops at an unknown status or a missing frame with bytes", async () => {
		for (const bad of [frame(7, bytes(SIZE)), frame(SHARD_FRAME_STATUS.UNAVAILABLE, bytes(4))]) {
			const body = Uint8Array.from([...bad, ...frame(SHARD_FRAME_STATUS.OK, bytes(SIZE))]);
			expect(await read(body, 2)).toEqual([
				[0, { notRead: true }],
				[1, { notRead: true }],
			]);
		}
	});

	it("reports the shards after a body cut short as not read", async () => {
		const whole = frame(SHARD_FRAME_STATUS.OK, bytes(SIZE));
		for (const cut of [0, 3, 5 + SIZE - 1]) {
			expect(await read(whole.subarray(0, cut), 2)).toEqual([
				[0, { notRead: true }],
				[1, { notRead: true }],
			]);
		}
	});
});

it("reports every shard not read when the body fails to arrive", async () => {
	const failing = new ReadableStream<Uint8Array>({
		pull(controller) {
			controller.error(new Error("connection reset"));
		},
	});
	const seen: [number, FramedShard][] = [];
	await readShardFrames(
		failing,
		2,
		SIZE,
		() => new Uint8Array(SIZE),
		(position, shard) => seen.push([position, shard]),
	);
	expect(seen).toEqual([
		[0, { notRead: true }],
		[1, { notRead: true }],
	]);
});
