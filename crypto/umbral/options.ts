// Per-call options of the Umbral API: which curve backend does the scalar multiplications.
// Selection is explicit per call (no global switch another module could flip).
import { assertCurveBackend, type CurveBackend } from "./curve-backend";
import { nobleCurveBackend } from "./noble-curve-backend";

/** Options accepted by every Umbral operation that does curve arithmetic. */
export interface UmbralOptions {
	/**
	 * Curve backend for scalar multiplication and ECDSA. Default: `nobleCurveBackend`
	 * (@noble/curves). Storage nodes pass the WASM backend from `p2p/proxy/`.
	 */
	backend?: CurveBackend;
}

/** The backend an operation uses: the caller's (checked) or the noble default. */
export function resolveBackend(options?: UmbralOptions): CurveBackend {
	const backend = options?.backend;
	if (backend === undefined) return nobleCurveBackend;
	assertCurveBackend(backend);
	return backend;
}
