// A request body of an announced size (the shard gateway's PUT): exactly that many bytes come
// back in the pieces they arrived in; a short body and a long one are refused with a clear
// error, and a long one is not read past its size.
import { describe, expect, it } from "vitest";
import { readExactBody } from "../../server/http/exact-body";

function bodyOf(pieces: number[], { endless = false } = {}) {
	let next = 0;
	let pulled = 0;
	const stream = new ReadableStream<Uint8Array>(
		{
			pull(controller) {
				const size = pieces[next++] ?? (endless ? 1024 : undefined);
				if (size === undefined) return controller.close();
				pulled += size;
				controller.enqueue(new Uint8Array(size).fill(next));
			},
		},
		{ highWaterMark: 0 },
	);
	return { stream, pulled: () => pulled };
}

describe("readExactBody", () => {
	it("returns the announced bytes in the pieces they arrived in", async () => {
		const { stream } = bodyOf([3, 0, 5, 2]);
		const pieces = await readExactBody(stream, 10);
		expect(pieces.map((piece) => piece.length)).toEqual([3, 0, 5, 2]);
		expect(pieces.map((piece) => piece[0] ?? 0)).toEqual([1, 0, 3, 4]);
	});

	it("accepts an empty body of size 0, with or without a stream", async () => {
		expect(await readExactBody(null, 0)).toEqual([]);
		expect(await readExactBody(bodyOf([]).stream, 0)).toEqual([]);
	});

	it("refuses a body shorter than announced", async () => {
		await expect(readExactBody(bodyOf([4, 4]).stream, 10, "The shard")).rejects.toMatchObject({
			code: "BAD_INPUT",
			message: "The shard was truncated in transit.",
		});
		await expect(readExactBody(null, 1)).rejects.toMatchObject({ code: "BAD_INPUT" });
	});

	it("refuses a body longer than announced without reading the rest", async () => {
		const endless = bodyOf([6], { endless: true });
		await expect(readExactBody(endless.stream, 10, "The shard")).rejects.toMatchObject({
			code: "BAD_INPUT",
			message: "The shard is longer than announced.",
		});
		// The piece that went past the size, and nothing after it.
		expect(endless.pulled()).toBe(6 + 1024);
	});
});
