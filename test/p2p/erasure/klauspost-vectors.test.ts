// Parity must equal klauspost/reedsolomon's byte for byte (shared/vectors/reed-solomon/), with
// both kernels, and those vectors' shards must rebuild from any k.
import { describe, expect, it } from "vitest";
import { createErasureCoder } from "../../../p2p/erasure";
import { klauspostCases, withLost } from "./shard-fixtures";

const cases = klauspostCases();
const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex, "hex"));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("klauspost/reedsolomon default-matrix vectors", () => {
	it("covers several shapes, including k + m = 80", () => {
		expect(cases.length).toBeGreaterThanOrEqual(8);
		expect(cases.some(({ k, m }) => k + m === 80)).toBe(true);
	});

	for (const kernel of ["simd", "js"] as const) {
		for (const vector of cases) {
			const { k, m } = vector;
			it(`${kernel} kernel: ${k}+${m} parity equals klauspost's`, () => {
				const coder = createErasureCoder({ dataShards: k, parityShards: m, kernel });
				const parity = coder.encode(vector.data.map(fromHex));
				expect(parity.map(toHex)).toEqual(vector.parity);
			});

			it(`${kernel} kernel: ${k}+${m} rebuilds every shard after losing the first m`, () => {
				const coder = createErasureCoder({ dataShards: k, parityShards: m, kernel });
				const all = [...vector.data, ...vector.parity].map(fromHex);
				const lost = Array.from({ length: m }, (_, i) => i);
				expect(coder.reconstruct(withLost(all, lost)).map(toHex)).toEqual(all.map(toHex));
			});
		}
	}
});
