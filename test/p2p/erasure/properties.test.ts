// Property tests (fast-check): round trips through split, encode, loss and reconstruct, and
// the linearity every Reed-Solomon code has, for random shapes, lengths and loss patterns.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createErasureCoder, joinShards, splitIntoShards } from "../../../p2p/erasure";
import { withLost } from "./shard-fixtures";

const codeAndData = fc
	.record({ k: fc.integer({ min: 1, max: 12 }), m: fc.integer({ min: 1, max: 8 }) })
	.chain(({ k, m }) =>
		fc.record({
			k: fc.constant(k),
			m: fc.constant(m),
			data: fc.uint8Array({ minLength: 0, maxLength: 3000 }),
			lost: fc.uniqueArray(fc.integer({ min: 0, max: k + m - 1 }), { maxLength: m }),
			kernel: fc.constantFrom("simd" as const, "js" as const),
		}),
	);

describe("erasure coding properties", () => {
	it("split → encode → lose up to m shards → reconstruct (all, or data only) → join gives the data back", () => {
		fc.assert(
			fc.property(codeAndData, ({ k, m, data, lost, kernel }) => {
				const coder = createErasureCoder({ dataShards: k, parityShards: m, kernel });
				const dataShards = splitIntoShards(data, k);
				const all = [...dataShards, ...coder.encode(dataShards)];
				const rebuilt = coder.reconstruct(withLost(all, lost));
				expect(rebuilt).toEqual(all);
				const dataBack = coder.reconstructData(withLost(all, lost));
				expect(joinShards(dataBack, data.length)).toEqual(data);
			}),
			{ numRuns: 150 },
		);
	});

	it("parity is linear: encode(a ⊕ b) = encode(a) ⊕ encode(b)", () => {
		const xor = (a: Uint8Array, b: Uint8Array) => a.map((byte, i) => byte ^ (b[i] as number));
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 10 }),
				fc.integer({ min: 1, max: 6 }),
				fc.integer({ min: 1, max: 700 }),
				(k, m, length) => {
					const coder = createErasureCoder({ dataShards: k, parityShards: m });
					const a = Array.from({ length: k }, () => crypto.getRandomValues(new Uint8Array(length)));
					const b = Array.from({ length: k }, () => crypto.getRandomValues(new Uint8Array(length)));
					const sum = a.map((shard, i) => xor(shard, b[i] as Uint8Array));
					const expected = coder.encode(a).map((p, i) => xor(p, coder.encode(b)[i] as Uint8Array));
					expect(coder.encode(sum)).toEqual(expected);
				},
			),
			{ numRuns: 60 },
		);
	});

	it("data shards are the data itself, zero-padded (the code is systematic)", () => {
		fc.assert(
			fc.property(
				fc.uint8Array({ maxLength: 2000 }),
				fc.integer({ min: 1, max: 20 }),
				(data, k) => {
					const shards = splitIntoShards(data, k);
					const length = shards[0]?.length as number;
					expect(length).toBe(Math.max(1, Math.ceil(data.length / k)));
					const concatenated = new Uint8Array(length * k);
					shards.forEach((shard, i) => {
						concatenated.set(shard, i * length);
					});
					expect(concatenated.subarray(0, data.length)).toEqual(data);
					expect(concatenated.subarray(data.length).every((byte) => byte === 0)).toBe(true);
				},
			),
			{ numRuns: 100 },
		);
	});
});
