// The WASM SIMD GF(2^8) kernel: loads kernel/gf-kernel.wat (assembled into gf-kernel-wasm.ts)
// and feeds it shards block by block. Each block of every input is copied into the kernel's
// memory, the kernel writes the output blocks, and those are copied out — blocks are sized so
// the working set stays in the CPU cache. Instantiated synchronously: the module is under 1 KiB,
// far below the size browsers allow for synchronous compilation on any thread. Returns null
// (callers fall back to JS) when WebAssembly or its SIMD extension is missing or blocked (CSP).
import { writeNibbleTables } from "./galois";
import type { GfKernel, MatrixApplier } from "./gf-kernel";
import { GF_KERNEL_WASM_BASE64 } from "./kernel/gf-kernel-wasm";
import type { GfMatrix } from "./matrix";

interface KernelExports {
	memory: WebAssembly.Memory;
	apply(
		tables: number,
		rows: number,
		cols: number,
		input: number,
		output: number,
		len: number,
	): void;
}

/** Working set (input + output blocks) aimed at per call: fits a typical 256 KiB–1 MiB L2. */
const CACHE_TARGET_BYTES = 256 * 1024;
/** Block bounds: large enough to amortise the per-block call, small enough for the cache. */
const MIN_BLOCK_BYTES = 1024;
const MAX_BLOCK_BYTES = 64 * 1024;
const WASM_PAGE_BYTES = 65_536;

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
	const binary = atob(base64);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

/**
 * The tables of `matrix` in the order the kernel reads them: rows in groups of 4, then 2,
 * then 1; within a group, for each input column, the 32-byte nibble tables of each row.
 */
function groupedNibbleTables(matrix: GfMatrix): Uint8Array {
	const { rows, cols, data } = matrix;
	const tables = new Uint8Array(rows * cols * 32);
	let offset = 0;
	for (let row = 0; row < rows; ) {
		const group = rows - row >= 4 ? 4 : rows - row >= 2 ? 2 : 1;
		for (let col = 0; col < cols; col++) {
			for (let g = 0; g < group; g++) {
				writeNibbleTables(data[(row + g) * cols + col] as number, tables, offset);
				offset += 32;
			}
		}
		row += group;
	}
	return tables;
}

function ensureMemory(memory: WebAssembly.Memory, bytes: number): void {
	const missing = bytes - memory.buffer.byteLength;
	if (missing > 0) memory.grow(Math.ceil(missing / WASM_PAGE_BYTES));
}

function compileWith(wasm: KernelExports, matrix: GfMatrix): MatrixApplier {
	const { rows, cols } = matrix;
	const tables = groupedNibbleTables(matrix);
	const inputBase = roundUp(tables.length, 64);
	const blockBytes = Math.min(
		MAX_BLOCK_BYTES,
		Math.max(MIN_BLOCK_BYTES, Math.floor(CACHE_TARGET_BYTES / (rows + cols) / 64) * 64),
	);
	return (inputs, outputs, length) => {
		const stride = Math.min(blockBytes, roundUp(length, 16));
		ensureMemory(wasm.memory, inputBase + (rows + cols) * stride);
		const memory = new Uint8Array(wasm.memory.buffer);
		memory.set(tables, 0);
		for (let start = 0; start < length; start += stride) {
			const count = Math.min(stride, length - start);
			const len = roundUp(count, 16);
			const outputBase = inputBase + cols * len;
			for (let j = 0; j < cols; j++) {
				memory.set((inputs[j] as Uint8Array).subarray(start, start + count), inputBase + j * len);
			}
			wasm.apply(0, rows, cols, inputBase, outputBase, len);
			for (let i = 0; i < rows; i++) {
				const from = outputBase + i * len;
				(outputs[i] as Uint8Array).set(memory.subarray(from, from + count), start);
			}
		}
	};
}

function instantiate(): GfKernel | null {
	if (typeof WebAssembly !== "object") return null;
	try {
		const bytes = decodeBase64(GF_KERNEL_WASM_BASE64);
		if (!WebAssembly.validate(bytes)) return null;
		const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
		const wasm = instance.exports as unknown as KernelExports;
		return { name: "simd", compile: (matrix) => compileWith(wasm, matrix) };
	} catch {
		return null;
	}
}

let simdKernel: GfKernel | null | undefined;

/** The SIMD kernel, instantiated on first call; null when this runtime cannot run it. */
export function loadSimdKernel(): GfKernel | null {
	if (simdKernel === undefined) simdKernel = instantiate();
	return simdKernel;
}
