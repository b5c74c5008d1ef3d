// The committed kernel module (p2p/erasure/kernel/gf-kernel-wasm.ts) is exactly what
// scripts/build-erasure-kernel.ts assembles from gf-kernel.wat, so the WAT stays the source.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GF_KERNEL_WASM_BASE64 } from "../../../p2p/erasure/kernel/gf-kernel-wasm";
import {
	assembleErasureKernel,
	KERNEL_MODULE_PATH,
	renderKernelModule,
} from "../../../scripts/build-erasure-kernel";

describe("committed SIMD kernel", () => {
	it("matches what the build script assembles from the .wat source", async () => {
		const bytes = await assembleErasureKernel();
		expect(readFileSync(KERNEL_MODULE_PATH, "utf8")).toBe(renderKernelModule(bytes));
		expect(Buffer.from(GF_KERNEL_WASM_BASE64, "base64")).toEqual(Buffer.from(bytes));
	});

	it("is a valid module that uses SIMD", async () => {
		const bytes = await assembleErasureKernel();
		expect(WebAssembly.validate(bytes)).toBe(true);
		const watSource = readFileSync(
			new URL("../../../p2p/erasure/kernel/gf-kernel.wat", import.meta.url),
			"utf8",
		);
		expect(watSource).toMatch(/i8x16\.swizzle/);
	});
});
