// Small dense matrices over GF(2^8) (row-major Uint8Array) and the klauspost/Backblaze
// encoding matrix: the (k+m) × k Vandermonde matrix V[r][c] = r^c, multiplied by the inverse
// of its top k × k block so the top becomes the identity (a systematic code whose any k rows
// are invertible). Matrices here are at most 256 × 256; never shard-sized data.
import { gfDiv, gfMul, gfPow } from "./galois";

/** A rows × cols matrix over GF(2^8), row-major. */
export interface GfMatrix {
	rows: number;
	cols: number;
	data: Uint8Array;
}

function newMatrix(rows: number, cols: number): GfMatrix {
	return { rows, cols, data: new Uint8Array(rows * cols) };
}

/** Product a · b (a.cols must equal b.rows). */
export function multiplyMatrices(a: GfMatrix, b: GfMatrix): GfMatrix {
	if (a.cols !== b.rows) throw new RangeError("matrix shapes do not match");
	const out = newMatrix(a.rows, b.cols);
	for (let r = 0; r < a.rows; r++) {
		for (let c = 0; c < b.cols; c++) {
			let acc = 0;
			for (let i = 0; i < a.cols; i++) {
				acc ^= gfMul(a.data[r * a.cols + i] as number, b.data[i * b.cols + c] as number);
			}
			out.data[r * out.cols + c] = acc;
		}
	}
	return out;
}

/** The matrix made of the given rows of m, in that order. */
export function selectRows(m: GfMatrix, rowIndices: readonly number[]): GfMatrix {
	const out = newMatrix(rowIndices.length, m.cols);
	rowIndices.forEach((row, i) => {
		out.data.set(m.data.subarray(row * m.cols, (row + 1) * m.cols), i * m.cols);
	});
	return out;
}

/** Inverse of a square matrix by Gauss-Jordan elimination; throws if it is singular. */
export function invertMatrix(m: GfMatrix): GfMatrix {
	const n = m.rows;
	if (m.cols !== n) throw new RangeError("only square matrices can be inverted");
	const work = m.data.slice();
	const inverse = newMatrix(n, n);
	for (let i = 0; i < n; i++) inverse.data[i * n + i] = 1;
	const swapRows = (data: Uint8Array, a: number, b: number) => {
		const rowA = data.slice(a * n, (a + 1) * n);
		data.copyWithin(a * n, b * n, (b + 1) * n);
		data.set(rowA, b * n);
	};
	for (let col = 0; col < n; col++) {
		let pivot = col;
		while (pivot < n && work[pivot * n + col] === 0) pivot++;
		if (pivot === n) throw new RangeError("matrix is singular");
		if (pivot !== col) {
			swapRows(work, pivot, col);
			swapRows(inverse.data, pivot, col);
		}
		const scale = gfDiv(1, work[col * n + col] as number);
		for (let c = 0; c < n; c++) {
			work[col * n + c] = gfMul(work[col * n + c] as number, scale);
			inverse.data[col * n + c] = gfMul(inverse.data[col * n + c] as number, scale);
		}
		for (let r = 0; r < n; r++) {
			const factor = work[r * n + col] as number;
			if (r === col || factor === 0) continue;
			for (let c = 0; c < n; c++) {
				work[r * n + c] = (work[r * n + c] as number) ^ gfMul(factor, work[col * n + c] as number);
				inverse.data[r * n + c] =
					(inverse.data[r * n + c] as number) ^ gfMul(factor, inverse.data[col * n + c] as number);
			}
		}
	}
	return inverse;
}

/**
 * The (k+m) × k systematic encoding matrix of klauspost/reedsolomon's default `New(k, m)`
 * (and Backblaze JavaReedSolomon): Vandermonde V[r][c] = r^c times the inverse of V's top k rows.
 */
export function buildEncodingMatrix(dataShards: number, parityShards: number): GfMatrix {
	const total = dataShards + parityShards;
	const vandermonde = newMatrix(total, dataShards);
	for (let r = 0; r < total; r++) {
		for (let c = 0; c < dataShards; c++) vandermonde.data[r * dataShards + c] = gfPow(r, c);
	}
	const top = selectRows(
		vandermonde,
		Array.from({ length: dataShards }, (_, i) => i),
	);
	return multiplyMatrices(vandermonde, invertMatrix(top));
}
