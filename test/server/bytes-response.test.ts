// A shard download's response (server/http/bytes-response.ts): the body is the very buffer the
// gateway fetched, not a copy of it, with the right length and bytes; an empty body is empty.
import { describe, expect, it } from "vitest";
import { bytesResponse } from "../../server/http/bytes-response";

async function chunksOf(response: Response): Promise<Uint8Array[]> {
	const chunks: Uint8Array[] = [];
	if (!response.body) return chunks;
	for await (const chunk of response.body) chunks.push(chunk);
	return chunks;
}

describe("bytesResponse", () => {
	it("sends the buffer itself, with its length and the given headers", async () => {
		const bytes = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
		const headers = new Headers({ "content-type": "application/octet-stream" });
		const response = bytesResponse(bytes, headers);
		expect(response.status).toBe(200);
		expect(response.headers.get("content-length")).toBe("300000");
		expect(response.headers.get("content-type")).toBe("application/octet-stream");
		const chunks = await chunksOf(response);
		expect(chunks).toHaveLength(1);
		// The same memory, not a copy (`new Response(bytes)` would hand out a copy here).
		expect(chunks[0]?.buffer).toBe(bytes.buffer);
		expect(chunks[0]).toEqual(bytes);
	});

	it("answers an empty buffer with an empty body", async () => {
		const response = bytesResponse(new Uint8Array(0), new Headers(), 200);
		expect(response.headers.get("content-length")).toBe("0");
		expect(await chunksOf(response)).toEqual([]);
		const again = bytesResponse(new Uint8Array(0), new Headers());
		expect((await again.arrayBuffer()).byteLength).toBe(0);
	});
});
