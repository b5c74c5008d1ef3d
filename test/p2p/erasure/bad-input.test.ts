// Every malformed call is refused with a typed error (asserted on `name`), before any work.
import { describe, expect, it } from "vitest";
import {
	createErasureCoder,
	type ErasureCoderOptions,
	joinShards,
	MAX_SHARD_BYTES,
	shardLengthFor,
	splitIntoShards,
} from "../../../p2p/erasure";
import { randomShards } from "./shard-fixtures";

function errorName(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		return (error as Error).name;
	}
	return "no error";
}

describe("erasure coder parameters", () => {
	const bad: [string, unknown][] = [
		["k = 0", { dataShards: 0, parityShards: 2 }],
		["m = 0", { dataShards: 4, parityShards: 0 }],
		["negative k", { dataShards: -4, parityShards: 2 }],
		["fractional m", { dataShards: 4, parityShards: 1.5 }],
		["NaN k", { dataShards: Number.NaN, parityShards: 2 }],
		["string k", { dataShards: "4", parityShards: 2 }],
		["k + m = 257", { dataShards: 200, parityShards: 57 }],
		["missing options", undefined],
		["unknown kernel", { dataShards: 4, parityShards: 2, kernel: "gpu" }],
	];
	for (const [label, options] of bad) {
		it(`refuses ${label} with ErasureParameterError`, () => {
			expect(errorName(() => createErasureCoder(options as ErasureCoderOptions))).toBe(
				"ErasureParameterError",
			);
		});
	}

	it("accepts the largest code, k + m = 256", () => {
		const coder = createErasureCoder({ dataShards: 200, parityShards: 56 });
		expect(coder.totalShards).toBe(256);
	});
});

describe("encode into given arrays", () => {
	it("writes the same parity into views of one buffer, and refuses wrong counts or sizes", () => {
		const coder = createErasureCoder({ dataShards: 4, parityShards: 2 });
		const data = randomShards(4, 100);
		const slab = new Uint8Array(2 * 100 + 7).fill(0xee);
		const into = [slab.subarray(3, 103), slab.subarray(103, 203)];
		const parity = coder.encode(data, into);
		expect(parity[0]).toBe(into[0]);
		expect(parity[1]).toBe(into[1]);
		expect(parity).toEqual(coder.encode(data));
		expect([slab[0], slab[2], slab[203], slab[206]]).toEqual([0xee, 0xee, 0xee, 0xee]);
		expect(errorName(() => coder.encode(data, [new Uint8Array(100)]))).toBe(
			"ErasureShardCountError",
		);
		expect(errorName(() => coder.encode(data, [new Uint8Array(100), new Uint8Array(99)]))).toBe(
			"ErasureShardSizeError",
		);
	});
});

describe("encode input", () => {
	const coder = createErasureCoder({ dataShards: 4, parityShards: 2 });

	it("refuses the wrong number of data shards", () => {
		expect(errorName(() => coder.encode(randomShards(3, 8)))).toBe("ErasureShardCountError");
		expect(errorName(() => coder.encode(randomShards(6, 8)))).toBe("ErasureShardCountError");
	});

	it("refuses shards of unequal length", () => {
		const shards = [...randomShards(3, 8), new Uint8Array(9)];
		expect(errorName(() => coder.encode(shards))).toBe("ErasureShardSizeError");
	});

	it("refuses empty shards", () => {
		expect(errorName(() => coder.encode(randomShards(4, 0)))).toBe("ErasureShardSizeError");
	});

	it("refuses shards larger than MAX_SHARD_BYTES", () => {
		const single = createErasureCoder({ dataShards: 1, parityShards: 1 });
		expect(errorName(() => single.encode([new Uint8Array(MAX_SHARD_BYTES + 1)]))).toBe(
			"ErasureShardSizeError",
		);
	});

	it("refuses a missing or non-byte shard, and a non-array", () => {
		const shards: unknown[] = randomShards(4, 8);
		expect(errorName(() => coder.encode([...shards.slice(0, 3), null] as Uint8Array[]))).toBe(
			"ErasureInputError",
		);
		expect(errorName(() => coder.encode([...shards.slice(0, 3), [1, 2]] as Uint8Array[]))).toBe(
			"ErasureInputError",
		);
		expect(errorName(() => coder.encode("abcd" as unknown as Uint8Array[]))).toBe(
			"ErasureInputError",
		);
	});
});

describe("reconstruct input", () => {
	const coder = createErasureCoder({ dataShards: 4, parityShards: 2 });
	const all = randomShards(6, 16);

	it("refuses fewer than k present shards", () => {
		const shards = [null, null, null, all[3], all[4], all[5]] as (Uint8Array | null)[];
		expect(errorName(() => coder.reconstruct(shards))).toBe("ErasureTooFewShardsError");
		expect(errorName(() => coder.reconstruct(Array(6).fill(null)))).toBe(
			"ErasureTooFewShardsError",
		);
	});

	it("refuses a slot count other than k + m", () => {
		expect(errorName(() => coder.reconstruct(all.slice(0, 5)))).toBe("ErasureShardCountError");
		expect(errorName(() => coder.reconstruct([...all, null]))).toBe("ErasureShardCountError");
	});

	it("refuses present shards of unequal length", () => {
		const shards = [null, ...all.slice(1, 5), new Uint8Array(17)];
		expect(errorName(() => coder.reconstruct(shards))).toBe("ErasureShardSizeError");
	});

	it("refuses empty shards and non-byte shards", () => {
		expect(errorName(() => coder.reconstruct([null, ...randomShards(5, 0)]))).toBe(
			"ErasureShardSizeError",
		);
		const withString = [null, ...all.slice(1, 5), "shard"] as unknown as Uint8Array[];
		expect(errorName(() => coder.reconstruct(withString))).toBe("ErasureInputError");
	});
});

describe("split and join input", () => {
	it("refuses a bad data shard count", () => {
		for (const k of [0, -1, 2.5, 256, Number.NaN]) {
			expect(
				errorName(() => splitIntoShards(new Uint8Array(10), k)),
				`k = ${k}`,
			).toBe("ErasureInputError");
		}
	});

	it("refuses data that is not a Uint8Array", () => {
		expect(errorName(() => splitIntoShards([1, 2, 3] as unknown as Uint8Array, 2))).toBe(
			"ErasureInputError",
		);
	});

	it("refuses data whose shards would exceed MAX_SHARD_BYTES", () => {
		expect(errorName(() => shardLengthFor(MAX_SHARD_BYTES * 2 + 1, 2))).toBe(
			"ErasureShardSizeError",
		);
	});

	it("refuses an original length the shards cannot hold, or a negative one", () => {
		const shards = randomShards(3, 5);
		expect(errorName(() => joinShards(shards, 16))).toBe("ErasureInputError");
		expect(errorName(() => joinShards(shards, -1))).toBe("ErasureInputError");
		expect(errorName(() => joinShards(shards, 1.5))).toBe("ErasureInputError");
		expect(joinShards(shards, 15)).toHaveLength(15);
	});

	it("splits into a given buffer, zeroing the padding, and refuses a shorter one", () => {
		const data = Uint8Array.from({ length: 10 }, (_, i) => i + 1);
		const into = new Uint8Array(16).fill(0xee);
		const shards = splitIntoShards(data, 3, into);
		expect(shards.map((shard) => shard.buffer)).toEqual([into.buffer, into.buffer, into.buffer]);
		expect(shards).toEqual(splitIntoShards(data, 3));
		expect([...into.subarray(10, 12)]).toEqual([0, 0]);
		expect([...into.subarray(12)]).toEqual([0xee, 0xee, 0xee, 0xee]);
		expect(errorName(() => splitIntoShards(data, 3, new Uint8Array(11)))).toBe("ErasureInputError");
	});

	it("joins into a given buffer at least as long, and refuses a shorter one", () => {
		const shards = randomShards(3, 5);
		const into = new Uint8Array(20).fill(0xee);
		const joined = joinShards(shards, 14, into);
		expect(joined.buffer).toBe(into.buffer);
		expect(joined).toEqual(joinShards(shards, 14));
		expect(into[14]).toBe(0xee);
		expect(errorName(() => joinShards(shards, 14, new Uint8Array(13)))).toBe("ErasureInputError");
	});

	it("refuses no shards, unequal shards and non-byte shards", () => {
		expect(errorName(() => joinShards([], 0))).toBe("ErasureInputError");
		expect(errorName(() => joinShards([new Uint8Array(2), new Uint8Array(3)], 4))).toBe(
			"ErasureShardSizeError",
		);
		expect(errorName(() => joinShards([new Uint8Array(2), null] as Uint8Array[], 3))).toBe(
			"ErasureInputError",
		);
	});

	it("keeps shard bytes out of error messages", () => {
		const secret = new Uint8Array(16).fill(0xab);
		const coder = createErasureCoder({ dataShards: 2, parityShards: 1 });
		let message = "";
		try {
			coder.encode([secret, new Uint8Array(15)]);
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toMatch(/15 bytes/);
		expect(message).not.toMatch(/ab|171/i);
	});
});
