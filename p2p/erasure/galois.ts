// Arithmetic in GF(2^8) with the field polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and
// generator 2 — the field of klauspost/reedsolomon, Backblaze JavaReedSolomon and the Rust
// reed-solomon-erasure crate. Tables are built once at load; nothing here touches shard I/O.

/** The field polynomial, including the x^8 term. */
export const FIELD_POLYNOMIAL = 0x11d;

const EXP = new Uint8Array(510);
const LOG = new Uint8Array(256);
{
	let x = 1;
	for (let i = 0; i < 255; i++) {
		EXP[i] = x;
		EXP[i + 255] = x;
		LOG[x] = i;
		x <<= 1;
		if (x & 0x100) x ^= FIELD_POLYNOMIAL;
	}
}

/** Product of two field elements. */
export function gfMul(a: number, b: number): number {
	if (a === 0 || b === 0) return 0;
	return EXP[(LOG[a] as number) + (LOG[b] as number)] as number;
}

/** Quotient a / b; b must be non-zero. */
export function gfDiv(a: number, b: number): number {
	if (b === 0) throw new RangeError("division by zero in GF(2^8)");
	if (a === 0) return 0;
	return EXP[(LOG[a] as number) + 255 - (LOG[b] as number)] as number;
}

/** a raised to the power n (n ≥ 0), with 0^0 = 1 as the Backblaze/klauspost Vandermonde uses. */
export function gfPow(a: number, n: number): number {
	if (n === 0) return 1;
	if (a === 0) return 0;
	return EXP[((LOG[a] as number) * n) % 255] as number;
}

/**
 * Full 256 × 256 multiplication table: `MUL_TABLE[c * 256 + x] = c · x`. 64 KiB, used by the
 * pure-JS kernel (one 256-entry row per coefficient).
 */
export const MUL_TABLE: Uint8Array = (() => {
	const table = new Uint8Array(256 * 256);
	for (let c = 1; c < 256; c++) {
		for (let x = 1; x < 256; x++) table[c * 256 + x] = gfMul(c, x);
	}
	return table;
})();

/**
 * The split-nibble tables of coefficient c, written at `out[offset..offset+32)`: 16 bytes
 * `c · i` then 16 bytes `c · (i << 4)` for i = 0..15, so that c · x = lo[x & 15] ^ hi[x >> 4]
 * (multiplication is linear over XOR). This is the layout the WASM kernel's swizzles read.
 */
export function writeNibbleTables(c: number, out: Uint8Array, offset: number): void {
	for (let i = 0; i < 16; i++) {
		out[offset + i] = gfMul(c, i);
		out[offset + 16 + i] = gfMul(c, i << 4);
	}
}
