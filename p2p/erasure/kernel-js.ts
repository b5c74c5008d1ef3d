// The pure-JS GF(2^8) kernel: multiplies a coefficient matrix by shards with one 256-entry
// row of the multiplication table per coefficient, four bytes per 32-bit load and store. The
// fallback when WASM SIMD is missing, and the reference the SIMD kernel is tested against.
// Never keeps shards between calls.
import { MUL_TABLE } from "./galois";
import type { GfKernel } from "./gf-kernel";

/** Bytes per shard processed before moving to the next row, so outputs stay in cache. */
const BLOCK_BYTES = 16 * 1024;

/**
 * output[outStart + i] = table[input[inStart + i]] for i < count (or ^= when `xor`). When both
 * ranges are 4-byte aligned, four bytes are looked up per 32-bit load and store (the same byte
 * lanes in and out, so endianness does not matter); the rest goes byte by byte.
 */
function mulRange(
	table: Uint8Array,
	input: Uint8Array,
	inStart: number,
	output: Uint8Array,
	outStart: number,
	count: number,
	xor: boolean,
): void {
	let done = 0;
	if (((input.byteOffset + inStart) | (output.byteOffset + outStart)) % 4 === 0) {
		const words = count >>> 2;
		const in32 = new Uint32Array(input.buffer, input.byteOffset + inStart, words);
		const out32 = new Uint32Array(output.buffer, output.byteOffset + outStart, words);
		for (let w = 0; w < words; w++) {
			const x = in32[w] as number;
			const product =
				(table[x & 0xff] as number) |
				((table[(x >>> 8) & 0xff] as number) << 8) |
				((table[(x >>> 16) & 0xff] as number) << 16) |
				((table[x >>> 24] as number) << 24);
			out32[w] = xor ? (out32[w] as number) ^ product : product;
		}
		done = words * 4;
	}
	for (; done < count; done++) {
		const product = table[input[inStart + done] as number] as number;
		output[outStart + done] = xor ? (output[outStart + done] as number) ^ product : product;
	}
}

/** The pure-JS kernel; always available. */
export const jsKernel: GfKernel = {
	name: "js",
	compile(matrix) {
		const { rows, cols } = matrix;
		const tables = Array.from({ length: rows * cols }, (_, i) => {
			const c = matrix.data[i] as number;
			return MUL_TABLE.subarray(c * 256, c * 256 + 256);
		});
		let scratch: Uint8Array | undefined;
		return (inputs, outputs, length) => {
			// Unaligned inputs (e.g. views at odd offsets) are copied block by block into an
			// aligned scratch buffer, so the 32-bit path applies to them too.
			const copyInputs = inputs.some((input) => input.byteOffset % 4 !== 0);
			if (copyInputs) scratch ??= new Uint8Array(cols * BLOCK_BYTES);
			for (let start = 0; start < length; start += BLOCK_BYTES) {
				const count = Math.min(BLOCK_BYTES, length - start);
				const sources = inputs.map((input, j) => {
					if (!scratch || !copyInputs) return { bytes: input, offset: start };
					scratch.set(input.subarray(start, start + count), j * BLOCK_BYTES);
					return { bytes: scratch, offset: j * BLOCK_BYTES };
				});
				for (let i = 0; i < rows; i++) {
					const output = outputs[i] as Uint8Array;
					for (let j = 0; j < cols; j++) {
						const source = sources[j] as { bytes: Uint8Array; offset: number };
						const table = tables[i * cols + j] as Uint8Array;
						mulRange(table, source.bytes, source.offset, output, start, count, j > 0);
					}
				}
			}
		};
	},
};
