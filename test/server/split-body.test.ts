// A request body of consecutive parts of known sizes (the gateway's chunk PUT): each part comes
// out as soon as its last byte arrived, in the pieces it arrived in (split where a piece spans
// two parts), before the rest of the body is read; a short body and a long one are refused with
// a clear error, and a long one is not read past its size.
import { describe, expect, it } from "vitest";
import { type BodyPart, splitBody } from "../../server/http/split-body";

function bodyOf(pieces: number[], { endless = false } = {}) {
	let next = 0;
	let pulled = 0;
	const stream = new ReadableStream<Uint8Array>(
		{
			pull(controller) {
				const size = pieces[next++] ?? (endless ? 1024 : undefined);
				if (size === undefined) return controller.close();
				// Byte values count up across the whole body, so every byte's place can be checked.
				controller.enqueue(Uint8Array.from({ length: size }, (_, i) => (pulled + i) & 0xff));
				pulled += size;
			},
		},
		{ highWaterMark: 0 },
	);
	return { stream, pulled: () => pulled };
}

async function collect(parts: AsyncIterable<BodyPart>) {
	const out: { index: number; sizes: number[]; bytes: number[] }[] = [];
	for await (const { index, pieces } of parts) {
		out.push({
			index,
			sizes: pieces.map((piece) => piece.length),
			bytes: pieces.flatMap((piece) => [...piece]),
		});
	}
	return out;
}

describe("splitBody", () => {
	it("hands out each part in the pieces it arrived in, split where a piece spans parts", async () => {
		const { stream } = bodyOf([3, 5, 2]);
		const parts = await collect(splitBody(stream, [4, 4, 2]));
		expect(parts.map(({ index, sizes }) => ({ index, sizes }))).toEqual([
			{ index: 0, sizes: [3, 1] },
			{ index: 1, sizes: [4] },
			{ index: 2, sizes: [2] },
		]);
		expect(parts.flatMap((part) => part.bytes)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
	});

	it("hands out a part before the rest of the body is read", async () => {
		const body = bodyOf([4, 4]);
		const parts = splitBody(body.stream, [4, 4]);
		const first = await parts.next();
		expect(first.value).toMatchObject({ index: 0 });
		expect(body.pulled()).toBe(4);
		await collect(parts);
	});

	it("accepts empty parts and an empty body, with or without a stream", async () => {
		const parts = await collect(splitBody(bodyOf([2]).stream, [0, 2, 0]));
		expect(parts.map(({ index, sizes }) => ({ index, sizes }))).toEqual([
			{ index: 0, sizes: [] },
			{ index: 1, sizes: [2] },
			{ index: 2, sizes: [] },
		]);
		expect(await collect(splitBody(null, []))).toEqual([]);
		expect(await collect(splitBody(bodyOf([]).stream, [0]))).toHaveLength(1);
	});

	it("refuses a body shorter than announced, after the parts that did arrive", async () => {
		const seen: number[] = [];
		const parts = splitBody(bodyOf([4, 4]).stream, [4, 6]);
		await expect(
			(async () => {
				for await (const part of parts) seen.push(part.index);
			})(),
		).rejects.toMatchObject({
			code: "BAD_INPUT",
			message: "The upload was cut short in transit.",
		});
		expect(seen).toEqual([0]);
		await expect(collect(splitBody(null, [1]))).rejects.toMatchObject({ code: "BAD_INPUT" });
	});

	it("refuses a body longer than announced without reading the rest", async () => {
		const endless = bodyOf([6], { endless: true });
		await expect(collect(splitBody(endless.stream, [4, 6]))).rejects.toMatchObject({
			code: "BAD_INPUT",
			message: "The upload is longer than announced.",
		});
		// The piece that went past the size, and nothing after it.
		expect(endless.pulled()).toBe(6 + 1024);
	});
});
