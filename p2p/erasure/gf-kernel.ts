// The GF(2^8) kernel contract (a matrix times shards) and the choice between the WASM SIMD
// kernel and the pure-JS fallback. Kernels only compute; validation happens in the coder.
import { ErasureKernelUnavailableError } from "./errors";
import { jsKernel } from "./kernel-js";
import { loadSimdKernel } from "./kernel-simd";
import type { GfMatrix } from "./matrix";

/** Applies a compiled matrix: outputs[i] = Σ_j M[i][j] · inputs[j] over the first `length` bytes. */
export type MatrixApplier = (
	inputs: readonly Uint8Array[],
	outputs: readonly Uint8Array[],
	length: number,
) => void;

/** A way to multiply GF(2^8) matrices by shards. */
export interface GfKernel {
	/** "simd" (WASM SIMD split-nibble) or "js" (256-entry tables). */
	readonly name: "simd" | "js";
	/** Precomputes what applying `matrix` needs (tables) and returns the function that applies it. */
	compile(matrix: GfMatrix): MatrixApplier;
}

/** Which kernel a coder uses: "auto" picks SIMD when the runtime supports it, else JS. */
export type ErasureKernelChoice = "auto" | "simd" | "js";

/** The kernel for a choice; throws ErasureKernelUnavailableError if "simd" cannot run here. */
export function pickKernel(choice: ErasureKernelChoice): GfKernel {
	if (choice === "js") return jsKernel;
	const simd = loadSimdKernel();
	if (simd) return simd;
	if (choice === "simd") {
		throw new ErasureKernelUnavailableError("this runtime cannot run the WASM SIMD kernel");
	}
	return jsKernel;
}
