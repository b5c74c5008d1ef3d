// Any k of the n shards rebuild all n: exhaustively over every erasure pattern for 4+2, over
// random patterns for 10+6 (more patterns than the plan cache holds, so eviction is exercised).
import { describe, expect, it } from "vitest";
import { createErasureCoder } from "../../../p2p/erasure";
import { MAX_CACHED_ERASURE_PATTERNS } from "../../../p2p/erasure/limits";
import { randomShards, randomSubset, subsetsOfSize, withLost } from "./shard-fixtures";

function encodedShards(k: number, m: number, length: number, kernel: "simd" | "js") {
	const coder = createErasureCoder({ dataShards: k, parityShards: m, kernel });
	const data = randomShards(k, length);
	return { coder, all: [...data, ...coder.encode(data)] };
}

describe("reconstruction from any k shards", () => {
	for (const kernel of ["simd", "js"] as const) {
		it(`${kernel} kernel: 4+2 rebuilds all 6 shards for every pattern of up to 2 lost`, () => {
			const { coder, all } = encodedShards(4, 2, 1237, kernel);
			const patterns = [0, 1, 2].flatMap((size) => subsetsOfSize(6, size));
			expect(patterns).toHaveLength(1 + 6 + 15);
			for (const lost of patterns) {
				expect(coder.reconstruct(withLost(all, lost)), `lost ${lost}`).toEqual(all);
			}
		});

		it(`${kernel} kernel: 10+6 rebuilds all 16 shards for random patterns of 1 to 6 lost`, () => {
			const { coder, all } = encodedShards(10, 6, 3001, kernel);
			for (let round = 0; round < MAX_CACHED_ERASURE_PATTERNS + 16; round++) {
				const lost = randomSubset(16, 1 + (round % 6));
				expect(coder.reconstruct(withLost(all, lost)), `lost ${lost}`).toEqual(all);
			}
		});
	}

	it("reconstructData rebuilds just the k data shards from any k, for random patterns", () => {
		const { coder, all } = encodedShards(10, 6, 2049, "simd");
		for (let round = 0; round < 30; round++) {
			const lost = randomSubset(16, 1 + (round % 6));
			const data = coder.reconstructData(withLost(all, lost));
			expect(data, `lost ${lost}`).toEqual(all.slice(0, 10));
		}
	});

	it("reconstructData hands back the data shards themselves when none is lost", () => {
		const { coder, all } = encodedShards(4, 2, 100, "js");
		const data = coder.reconstructData(withLost(all, [4, 5]));
		data.forEach((shard, i) => {
			expect(shard).toBe(all[i]);
		});
		expect(() => coder.reconstructData(withLost(all, [0, 1, 2]))).toThrow(
			expect.objectContaining({ name: "ErasureTooFewShardsError" }),
		);
	});

	it("gives the same answer when a pattern is seen again (cached plan)", () => {
		const { coder, all } = encodedShards(10, 6, 500, "simd");
		const lost = [0, 3, 7, 11, 12, 15];
		expect(coder.reconstruct(withLost(all, lost))).toEqual(all);
		expect(coder.reconstruct(withLost(all, lost))).toEqual(all);
	});

	it("returns present shards as given and leaves the input array untouched", () => {
		const { coder, all } = encodedShards(4, 2, 64, "simd");
		const input = withLost(all, [1, 4]);
		const copy = [...input];
		const result = coder.reconstruct(input);
		expect(input).toEqual(copy);
		expect(result[0]).toBe(all[0]);
		expect(result[1]).not.toBe(all[1]);
		expect(result[1]).toEqual(all[1]);
	});

	it("treats undefined like null as a missing shard", () => {
		const { coder, all } = encodedShards(4, 2, 40, "simd");
		expect(coder.reconstruct([undefined, all[1], all[2], all[3], undefined, all[5]])).toEqual(all);
	});

	it("rebuilds shards of a 1+1 code (the parity is a copy)", () => {
		const { coder, all } = encodedShards(1, 1, 99, "simd");
		expect(all[1]).toEqual(all[0]);
		expect(coder.reconstruct([null, all[1] as Uint8Array])).toEqual(all);
	});
});
