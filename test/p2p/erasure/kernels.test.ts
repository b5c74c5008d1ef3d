// The WASM SIMD kernel and the pure-JS kernel compute the same matrix products: on random
// matrices of every row-group shape (4, 2, 1 rows), lengths around the 16-byte vector and the
// cache blocks, and through the coder. Also: Node 24 runs the SIMD kernel by default, and the
// coder falls back to JS when WebAssembly is absent.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createErasureCoder } from "../../../p2p/erasure";
import { jsKernel } from "../../../p2p/erasure/kernel-js";
import { loadSimdKernel } from "../../../p2p/erasure/kernel-simd";
import type { GfMatrix } from "../../../p2p/erasure/matrix";
import { randomBytes, randomShards } from "./shard-fixtures";

function randomMatrix(rows: number, cols: number): GfMatrix {
	return { rows, cols, data: randomBytes(rows * cols) };
}

describe("SIMD and JS kernels", () => {
	const simd = loadSimdKernel();

	it("the SIMD kernel is available on this runtime (Node 24)", () => {
		expect(simd?.name).toBe("simd");
		expect(createErasureCoder({ dataShards: 4, parityShards: 2 }).kernel).toBe("simd");
	});

	it("agree on random matrices of 1 to 11 rows and 1 to 9 columns", () => {
		for (let rows = 1; rows <= 11; rows++) {
			for (const cols of [1, 2, 5, 9]) {
				const matrix = randomMatrix(rows, cols);
				const length = 1 + Math.floor(Math.random() * 300);
				const inputs = randomShards(cols, length);
				const fromSimd = randomShards(rows, length);
				const fromJs = randomShards(rows, length);
				simd?.compile(matrix)(inputs, fromSimd, length);
				jsKernel.compile(matrix)(inputs, fromJs, length);
				expect(fromSimd, `${rows}×${cols}, ${length} bytes`).toEqual(fromJs);
			}
		}
	});

	it("agree on lengths around the vector width and across cache blocks", () => {
		const matrix = randomMatrix(6, 10);
		const apply = { simd: simd?.compile(matrix), js: jsKernel.compile(matrix) };
		for (const length of [1, 15, 16, 17, 63, 64, 65, 16_383, 16_384, 16_385, 100_003]) {
			const inputs = randomShards(10, length);
			const fromSimd = randomShards(6, length);
			const fromJs = randomShards(6, length);
			apply.simd?.(inputs, fromSimd, length);
			apply.js(inputs, fromJs, length);
			expect(fromSimd, `${length} bytes`).toEqual(fromJs);
		}
	});

	it("agree on inputs that are unaligned views into larger buffers", () => {
		const matrix = randomMatrix(3, 4);
		const length = 40_001;
		const inputs = Array.from({ length: 4 }, (_, j) =>
			randomBytes(length + 3).subarray(j, j + length),
		);
		const fromSimd = randomShards(3, length);
		const fromJs = randomShards(3, length);
		simd?.compile(matrix)(inputs, fromSimd, length);
		jsKernel.compile(matrix)(inputs, fromJs, length);
		expect(fromSimd).toEqual(fromJs);
	});

	it("give the same parity and rebuilt shards through the coder", () => {
		for (const [k, m] of [
			[4, 2],
			[10, 6],
			[5, 7],
		] as const) {
			const bySimd = createErasureCoder({ dataShards: k, parityShards: m, kernel: "simd" });
			const byJs = createErasureCoder({ dataShards: k, parityShards: m, kernel: "js" });
			const data = randomShards(k, 5000);
			const parity = bySimd.encode(data);
			expect(byJs.encode(data)).toEqual(parity);
			const lost = [...data, ...parity].map((shard, i) => (i < m ? null : shard));
			expect(bySimd.reconstruct(lost)).toEqual(byJs.reconstruct(lost));
		}
	});
});

describe("fallback without WebAssembly", () => {
	afterEach(() => {
		vi.unstubAllGlobals();
		vi.resetModules();
	});

	it("uses the JS kernel, still exact, and refuses an explicit SIMD request", async () => {
		// Stub: a runtime without WebAssembly (e.g. a CSP-locked page) cannot be made for real here.
		vi.stubGlobal("WebAssembly", undefined);
		vi.resetModules();
		const fresh = await import("../../../p2p/erasure");
		const coder = fresh.createErasureCoder({ dataShards: 4, parityShards: 2 });
		expect(coder.kernel).toBe("js");
		const data = randomShards(4, 100);
		vi.unstubAllGlobals();
		expect(coder.encode(data)).toEqual(
			createErasureCoder({ dataShards: 4, parityShards: 2, kernel: "simd" }).encode(data),
		);
		vi.stubGlobal("WebAssembly", undefined);
		expect(() =>
			fresh.createErasureCoder({ dataShards: 4, parityShards: 2, kernel: "simd" }),
		).toThrow(expect.objectContaining({ name: "ErasureKernelUnavailableError" }));
	});
});
