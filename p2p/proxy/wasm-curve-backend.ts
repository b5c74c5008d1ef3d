// A faster Umbral curve backend on tiny-secp256k1 (bitcoinjs' WASM build of libsecp256k1):
// constant-time scalar multiplication and ECDSA about 5–10× faster than BigInt code. Lives
// outside crypto/ (which may import only @noble/*); storage nodes pass it to `reencrypt` and
// friends as `{ backend: wasmCurveBackend }`. Never used for anything but curve arithmetic.
import { numberToBytesBE } from "@noble/curves/utils.js";
import { randomBytes } from "@noble/hashes/utils.js";
import * as ecc from "tiny-secp256k1";
import { type CurveBackend, nobleCurveBackend } from "../../crypto/umbral";
import { type Point as NoblePoint, Point, U } from "../../crypto/umbral/curve";

const U_UNCOMPRESSED = U.toBytes(false);

const scalarBytes = (k: bigint) => numberToBytesBE(k, 32);

/** Uncompressed SEC1 bytes from libsecp256k1 back to a point (null is the identity). */
function toPoint(bytes: Uint8Array | null): NoblePoint {
	return bytes === null ? Point.ZERO : Point.fromBytes(bytes);
}

function multiply(point: NoblePoint, k: bigint): Uint8Array | null {
	return ecc.pointMultiply(point.toBytes(false), scalarBytes(k), false);
}

/**
 * libsecp256k1 (WASM) backend: every multiplication is libsecp256k1's constant-time one
 * (also for public scalars: no variable-time API is exposed, and it is still faster than
 * BigInt code); ECDSA is libsecp256k1's RFC 6979 signing with 32 bytes of fresh extra
 * entropy (low-S) and strict verification (high-S refused).
 * @example
 * const cfrag = reencrypt(capsule, verifiedKFrag, { backend: wasmCurveBackend });
 */
export const wasmCurveBackend: CurveBackend = {
	name: "tiny-secp256k1",
	mulBaseSecret: (k) => toPoint(ecc.pointFromScalar(scalarBytes(k), false)),
	mulUSecret: (k) => toPoint(ecc.pointMultiply(U_UNCOMPRESSED, scalarBytes(k), false)),
	mulSecret: (point, k) => toPoint(multiply(point, k)),
	mulPublic: (point, k) => toPoint(multiply(point, k)),
	add: (p, q) => toPoint(ecc.pointAdd(p.toBytes(false), q.toBytes(false), false)),
	// libsecp256k1 decompresses (and so validates) much faster than BigInt square roots;
	// it throws for bytes that are not a point, which the caller maps to a format error.
	decompress: (bytes) => Point.fromBytes(ecc.pointCompress(bytes, false)),
	mulAddPublic: (p, a, q, b) => {
		// G first (the capsule check): libsecp256k1's fixed-base table is about twice as fast.
		const left = p === Point.BASE ? ecc.pointFromScalar(scalarBytes(a), false) : multiply(p, a);
		const right = multiply(q, b);
		if (left === null) return toPoint(right);
		if (right === null) return toPoint(left);
		return toPoint(ecc.pointAdd(left, right, false));
	},
	signPrehash: (digest, secretKey) => ecc.sign(digest, secretKey, randomBytes(32)),
	verifyPrehash: (signature, digest, publicKey) => {
		try {
			return ecc.verify(digest, publicKey, signature, true);
		} catch {
			return false;
		}
	},
};

// Known-answer self-check when the module loads: a WASM build that disagrees with
// @noble/curves must never be used silently.
{
	const k = 0x0123456789abcdef0123456789abcdefn;
	const agrees =
		wasmCurveBackend.mulBaseSecret(k).equals(nobleCurveBackend.mulBaseSecret(k)) &&
		wasmCurveBackend.mulUSecret(k).equals(nobleCurveBackend.mulUSecret(k)) &&
		wasmCurveBackend.mulSecret(U, k).equals(U.multiply(k));
	if (!agrees) throw new Error("tiny-secp256k1 backend disagrees with @noble/curves");
}
