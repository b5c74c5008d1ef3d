// The small interface through which Umbral does its expensive elliptic-curve work, so a
// faster engine (e.g. libsecp256k1 in WASM, outside crypto/) can replace @noble/curves for
// scalar multiplication and ECDSA. Everything else (parsing, hashing, scalars, hash-to-curve)
// stays on @noble/curves. A backend must never use variable-time code for secret scalars.
import { Point } from "./curve";
import { UmbralParameterError } from "./errors";

/**
 * Scalar multiplications and ECDSA over secp256k1. Points in and out are @noble/curves
 * points; the wrappers below guarantee that a backend is never given a zero scalar or the
 * identity point. "secret" methods must run in constant time; "public" ones may not.
 */
export interface CurveBackend {
	/** Short name for reports ("noble", "tiny-secp256k1"). */
	readonly name: string;
	/** k·G for a secret k in [1, n). */
	mulBaseSecret(k: bigint): Point;
	/** k·U (the Umbral parameter) for a secret k in [1, n). */
	mulUSecret(k: bigint): Point;
	/** k·P for a secret k in [1, n) and a non-identity point P. */
	mulSecret(point: Point, k: bigint): Point;
	/** k·P for a public k in [1, n) and a non-identity point P (variable time allowed). */
	mulPublic(point: Point, k: bigint): Point;
	/** P + Q for non-identity points (the result may be the identity). */
	add(p: Point, q: Point): Point;
	/**
	 * The point of 33 compressed bytes (prefix 02/03, already checked); must throw when x is
	 * not below p or not on the curve.
	 */
	decompress(bytes: Uint8Array): Point;
	/** a·P + b·Q for public a, b in [1, n) (variable time allowed). */
	mulAddPublic(p: Point, a: bigint, q: Point, b: bigint): Point;
	/**
	 * ECDSA signature of a 32-byte SHA-256 digest: RFC 6979 nonce with fresh extra entropy,
	 * low-S, returned as r ‖ s (64 bytes). `secretKey` is 32 big-endian bytes in [1, n).
	 */
	signPrehash(digest: Uint8Array, secretKey: Uint8Array): Uint8Array;
	/**
	 * Strict ECDSA verification of r ‖ s over a 32-byte digest: high-S is refused.
	 * `publicKey` is 33 compressed bytes.
	 */
	verifyPrehash(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean;
}

/** k·G; k must be non-zero. */
export function mulBase(backend: CurveBackend, k: bigint): Point {
	return k === 0n ? Point.ZERO : backend.mulBaseSecret(k);
}

/** k·U; returns the identity for k = 0 (never reaches the backend). */
export function mulU(backend: CurveBackend, k: bigint): Point {
	return k === 0n ? Point.ZERO : backend.mulUSecret(k);
}

/** k·P for secret k; handles the identity and k = 0 without the backend. */
export function mul(backend: CurveBackend, point: Point, k: bigint): Point {
	return k === 0n || point.is0() ? Point.ZERO : backend.mulSecret(point, k);
}

/** P + Q; handles identities without the backend. */
export function add(backend: CurveBackend, p: Point, q: Point): Point {
	if (p.is0()) return q;
	if (q.is0()) return p;
	return backend.add(p, q);
}

/** k·P for public k; handles the identity and k = 0 without the backend. */
export function mulPublic(backend: CurveBackend, point: Point, k: bigint): Point {
	return k === 0n || point.is0() ? Point.ZERO : backend.mulPublic(point, k);
}

/** a·P + b·Q for public a, b; handles zeros and identities without the backend. */
export function mulAddPublic(
	backend: CurveBackend,
	p: Point,
	a: bigint,
	q: Point,
	b: bigint,
): Point {
	const pZero = a === 0n || p.is0();
	const qZero = b === 0n || q.is0();
	if (pZero && qZero) return Point.ZERO;
	if (pZero) return backend.mulPublic(q, b);
	if (qZero) return backend.mulPublic(p, a);
	return backend.mulAddPublic(p, a, q, b);
}

/** Checks that a value offered as a backend has every method (a misconfiguration fails early). */
export function assertCurveBackend(value: unknown): asserts value is CurveBackend {
	const backend = value as Partial<Record<keyof CurveBackend, unknown>> | null;
	const methods = [
		"mulBaseSecret",
		"mulUSecret",
		"mulSecret",
		"mulPublic",
		"add",
		"decompress",
		"mulAddPublic",
		"signPrehash",
		"verifyPrehash",
	] as const;
	if (
		typeof backend !== "object" ||
		backend === null ||
		typeof backend.name !== "string" ||
		methods.some((method) => typeof backend[method] !== "function")
	) {
		throw new UmbralParameterError("not a curve backend");
	}
}
