// Umbral's hash to a non-zero scalar (spec "Notation"): SHA-256 over a length-prefixed DST
// and the parts, reduced as (x mod (n−1)) + 1 — not x mod n. Points enter compressed.
import { bytesToNumberBE } from "@noble/curves/utils.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { CURVE_ORDER, type Point, pointToBytes } from "./curve";

/** Domain separation tags of the spec. */
export const DST = {
	capsulePoints: utf8ToBytes("CAPSULE_POINTS"),
	sharedSecret: utf8ToBytes("SHARED_SECRET"),
	polynomialArg: utf8ToBytes("POLYNOMIAL_ARG"),
	cfragVerification: utf8ToBytes("CFRAG_VERIFICATION"),
} as const;

/**
 * H_dst(parts…) = (SHA-256(u32be(len(dst)) ‖ dst ‖ parts…) mod (n−1)) + 1, a scalar in [1, n).
 * Points are hashed as their 33-byte compressed encoding, byte strings as they are.
 */
export function hashToNonZeroScalar(
	dst: Uint8Array,
	parts: readonly (Point | Uint8Array)[],
): bigint {
	const hash = sha256.create();
	const length = new Uint8Array(4);
	new DataView(length.buffer).setUint32(0, dst.length, false);
	hash.update(length);
	hash.update(dst);
	for (const part of parts) hash.update(part instanceof Uint8Array ? part : pointToBytes(part));
	return (bytesToNumberBE(hash.digest()) % (CURVE_ORDER - 1n)) + 1n;
}
