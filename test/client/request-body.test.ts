// A shard upload's body: the listed shards in the listed order, taken from the chunk's body
// with as few new Blobs as possible (the body itself when all of it is sent).
import { describe, expect, it } from "vitest";
import { requestBody } from "../../client/vault/request-body";

const SHARD = 5;
/** Six shards of five bytes: shard i is filled with i. */
const chunk = new Blob([
	new Uint8Array(Array.from({ length: 6 * SHARD }, (_, at) => Math.floor(at / SHARD))),
]);
const shardsOf = async (body: Blob) => {
	const bytes = new Uint8Array(await body.arrayBuffer());
	return Array.from({ length: bytes.length / SHARD }, (_, i) => bytes[i * SHARD] as number);
};

describe("requestBody", () => {
	it("is the chunk's body itself when every shard is sent in order", async () => {
		const body = requestBody(chunk, SHARD, [0, 1, 2, 3, 4, 5]);
		expect(body).toBe(chunk);
	});

	it("takes runs of consecutive shards in one slice each, in the listed order", async () => {
		expect(await shardsOf(requestBody(chunk, SHARD, [1, 2, 3]))).toEqual([1, 2, 3]);
		expect(await shardsOf(requestBody(chunk, SHARD, [0, 2, 3, 5]))).toEqual([0, 2, 3, 5]);
		expect(await shardsOf(requestBody(chunk, SHARD, [4, 0, 1]))).toEqual([4, 0, 1]);
		expect(await shardsOf(requestBody(chunk, SHARD, [0, 1, 2, 3, 4]))).toEqual([0, 1, 2, 3, 4]);
		expect(await shardsOf(requestBody(chunk, SHARD, [5]))).toEqual([5]);
	});

	it("keeps every byte of each shard", async () => {
		const body = requestBody(chunk, SHARD, [3, 5]);
		expect(body.size).toBe(2 * SHARD);
		expect([...new Uint8Array(await body.arrayBuffer())]).toEqual([3, 3, 3, 3, 3, 5, 5, 5, 5, 5]);
	});
});
