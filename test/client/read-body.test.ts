// Reading a response body of known length into a caller's buffer: in place through a byte
// stream's BYOB reader, piece by piece otherwise; bodies of another length are refused.
import { describe, expect, it } from "vitest";
import { readBodyInto } from "../../client/vault/read-body";
import { byteStream, bytes, pieceStream } from "../helpers/body-streams";

describe.each([
	["a byte stream (in place)", byteStream],
	["a default stream (copied)", pieceStream],
])("readBodyInto from %s", (_, make) => {
	it("fills the buffer with exactly the body, in the caller's memory", async () => {
		const data = bytes(10_000);
		const target = new Uint8Array(new ArrayBuffer(16_384), 0, 10_000);
		const memory = target.buffer.byteLength;
		const read = await readBodyInto(make(data, 3_000), target);
		if (!("bytes" in read)) throw new Error("expected the body");
		expect(read.bytes).toEqual(data);
		expect(read.bytes.byteOffset).toBe(0);
		expect(read.bytes.buffer.byteLength).toBe(memory);
	});

	it("refuses a shorter body", async () => {
		const read = await readBodyInto(make(bytes(9_999), 4_000), new Uint8Array(10_000));
		expect(read).toEqual({ wrongLength: true });
	});

	it("refuses a longer body", async () => {
		const read = await readBodyInto(make(bytes(10_001), 4_000), new Uint8Array(10_000));
		expect(read).toEqual({ wrongLength: true });
	});

	it("passes a failing body's error on", async () => {
		const failing = new ReadableStream<Uint8Array>({
			pull(controller) {
				controller.error(new Error("connection reset"));
			},
		});
		await expect(readBodyInto(failing, new Uint8Array(10))).rejects.toThrow("connection reset");
	});
});

it("reads a real fetch Response body in place", async () => {
	const data = bytes(200_000, 7);
	const response = new Response(data);
	const target = new Uint8Array(200_000);
	const read = await readBodyInto(response.body as ReadableStream<Uint8Array>, target);
	if (!("bytes" in read)) throw new Error("expected the body");
	expect(read.bytes).toEqual(data);
});
