// The secrets a delegation a → B is built on (spec "Key fragments" and "Opening"): the
// shared secret d = H(X, B, DH), the polynomial arguments xi = H(X, B, DH, id), and the
// evaluation of the share polynomial. Used by kfrag generation and by the recipient's opening.
// Everything here is secret (d, DH, xi): never log or return it past this package.
import { Fn, POINT_SIZE, type Point, pointToBytes } from "./curve";
import { DST, hashToNonZeroScalar } from "./hash-to-scalar";
import type { PublicKey } from "./keys";

/** The shared secret d and hashing inputs of a delegation (X, B, DH as bytes). */
export interface DelegationSecret {
	d: bigint;
	/** Compressed X ‖ B ‖ DH, the common prefix of every H_POLYNOMIAL_ARG input. */
	prefix: Uint8Array;
}

/** d = H_SHARED_SECRET(X, B, DH) and the X ‖ B ‖ DH prefix of the polynomial arguments. */
export function delegationSecret(
	precursor: Point,
	receivingPk: PublicKey,
	dh: Point,
): DelegationSecret {
	const prefix = new Uint8Array(3 * POINT_SIZE);
	prefix.set(pointToBytes(precursor), 0);
	prefix.set(receivingPk.bytes, POINT_SIZE);
	prefix.set(pointToBytes(dh), 2 * POINT_SIZE);
	return { d: hashToNonZeroScalar(DST.sharedSecret, [prefix]), prefix };
}

/** xi = H_POLYNOMIAL_ARG(X, B, DH, id). */
export function polynomialArg(secret: DelegationSecret, id: Uint8Array): bigint {
	return hashToNonZeroScalar(DST.polynomialArg, [secret.prefix, id]);
}

/** f(x) by Horner's rule, coefficients from the constant term up. */
export function evaluatePolynomial(coefficients: readonly bigint[], x: bigint): bigint {
	let result = 0n;
	for (let i = coefficients.length - 1; i >= 0; i--) {
		result = Fn.add(Fn.mul(result, x), coefficients[i] as bigint);
	}
	return result;
}
