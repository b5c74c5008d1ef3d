// Parity must equal the Rust reed-solomon-erasure crate's (built to WASM) on random data, for
// several (k, m) and shard lengths that are and are not multiples of the SIMD width, and that
// span several of the kernel's cache blocks.
import { describe, expect, it } from "vitest";
import { createErasureCoder } from "../../../p2p/erasure";
import { oracleParity } from "../../helpers/reed-solomon-oracle";
import { randomShards } from "./shard-fixtures";

const CODES: [number, number][] = [
	[4, 2],
	[10, 6],
	[1, 1],
	[17, 3],
	[3, 5],
	[200, 56],
];
const LENGTHS = [1, 15, 16, 33, 1000, 70_001];

describe("equality with the reed-solomon-erasure WASM oracle", () => {
	for (const [k, m] of CODES) {
		const lengths = k > 20 ? [1, 33, 4099] : LENGTHS;
		it(`${k}+${m}: parity equals the oracle's for shard lengths ${lengths.join(", ")}`, () => {
			const simd = createErasureCoder({ dataShards: k, parityShards: m, kernel: "simd" });
			const js = createErasureCoder({ dataShards: k, parityShards: m, kernel: "js" });
			for (const length of lengths) {
				const data = randomShards(k, length);
				const expected = oracleParity(data, m);
				expect(simd.encode(data)).toEqual(expected);
				expect(js.encode(data)).toEqual(expected);
			}
		});
	}
});
