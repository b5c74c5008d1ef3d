// secp256k1 group and scalar helpers for Umbral (spec "Notation"): the point and scalar
// types, the parameter U, strict 33-byte point and 32-byte scalar codecs, random non-zero
// scalars. Must never accept an identity point, an uncompressed point or a scalar >= n.
import { secp256k1, secp256k1_hasher } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE, numberToBytesBE } from "@noble/curves/utils.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { UmbralFormatError } from "./errors";

/** A secp256k1 point (projective, @noble/curves). */
export type Point = InstanceType<typeof secp256k1.Point>;

/** The secp256k1 point constructor. */
export const Point = secp256k1.Point;

/** Scalar field of secp256k1 (integers modulo the group order n). */
export const Fn = secp256k1.Point.Fn;

/** Group order n. */
export const CURVE_ORDER: bigint = Fn.ORDER;

/** Length of a compressed SEC1 point. */
export const POINT_SIZE = 33;

/** Length of a big-endian scalar. */
export const SCALAR_SIZE = 32;

/** The generator G. */
export const G: Point = Point.BASE;

/**
 * Parameter U = hash_to_curve("POINT_U") with suite secp256k1_XMD:SHA-256_SSWU_RO_ and DST
 * "PARAMETERS" (RFC 9380); spec value 03079390…73cd, checked by the tests.
 */
export const U: Point = secp256k1_hasher.hashToCurve(utf8ToBytes("POINT_U"), {
	DST: "PARAMETERS",
});

/** Compressed SEC1 encoding of U (33 bytes). */
export const U_BYTES: Uint8Array = U.toBytes(true);

/** Encodes a point as 33 compressed bytes (the identity has no encoding and throws). */
export function pointToBytes(point: Point): Uint8Array {
	return point.toBytes(true);
}

/** Decompresses 33 validated-length bytes with @noble/curves (throws off the curve). */
export const nobleDecompress = (bytes: Uint8Array): Point => Point.fromBytes(bytes);

/**
 * Decodes a point from exactly 33 compressed bytes. Rejects other lengths, prefixes other
 * than 02/03, x >= p, x off the curve; the identity cannot be expressed in this form.
 * `decompress` is the curve backend's (it must throw for bytes that are not a point).
 */
export function pointFromBytes(
	bytes: Uint8Array,
	what = "point",
	decompress: (bytes: Uint8Array) => Point = nobleDecompress,
): Point {
	if (bytes.length !== POINT_SIZE || (bytes[0] !== 0x02 && bytes[0] !== 0x03)) {
		throw new UmbralFormatError(`${what}: expected a 33-byte compressed point`);
	}
	let point: Point;
	try {
		point = decompress(bytes);
	} catch {
		throw new UmbralFormatError(`${what}: not a point of secp256k1`);
	}
	if (point.is0()) throw new UmbralFormatError(`${what}: identity point`);
	return point;
}

/** Encodes a scalar in [0, n) as 32 big-endian bytes. */
export function scalarToBytes(scalar: bigint): Uint8Array {
	return numberToBytesBE(scalar, SCALAR_SIZE);
}

/** Decodes exactly 32 big-endian bytes into a scalar, rejecting values >= n. */
export function scalarFromBytes(bytes: Uint8Array, what = "scalar"): bigint {
	if (bytes.length !== SCALAR_SIZE) throw new UmbralFormatError(`${what}: expected 32 bytes`);
	const scalar = bytesToNumberBE(bytes);
	if (scalar >= CURVE_ORDER) throw new UmbralFormatError(`${what}: not below the group order`);
	return scalar;
}

/** Decodes a non-zero scalar (secret keys), rejecting 0 and values >= n. */
export function nonZeroScalarFromBytes(bytes: Uint8Array, what = "scalar"): bigint {
	const scalar = scalarFromBytes(bytes, what);
	if (scalar === 0n) throw new UmbralFormatError(`${what}: zero`);
	return scalar;
}

/** A uniformly random scalar in [1, n) from the platform CSPRNG (via @noble/curves). */
export function randomNonZeroScalar(): bigint {
	return bytesToNumberBE(secp256k1.utils.randomSecretKey());
}
