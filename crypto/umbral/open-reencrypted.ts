// The recipient's opening of a capsule from t or more verified capsule fragments (spec
// "Opening"): Lagrange-combine E1, V1 at the polynomial arguments, check the combination
// against the capsule, derive the seed. Refuses empty, mixed or repeated fragment sets.
import { bytesToHex } from "@noble/curves/utils.js";
import { type Capsule, capsuleHash, seedBytes } from "./capsule";
import { VerifiedCapsuleFrag } from "./capsule-frag";
import { CURVE_ORDER, Fn, Point } from "./curve";
import { add, type CurveBackend, mul, mulAddPublic } from "./curve-backend";
import { delegationSecret, polynomialArg } from "./delegation";
import {
	MismatchedCapsuleFragsError,
	NoCapsuleFragsError,
	RepeatedCapsuleFragsError,
	ThresholdNotMetError,
	UmbralParameterError,
} from "./errors";
import { MAX_SHARES } from "./key-frag";
import type { PublicKey, SecretKey } from "./keys";

/** Checks that the fragments can be combined; returns them typed. */
function checkFragments(
	capsule: Capsule,
	cfrags: readonly VerifiedCapsuleFrag[],
): VerifiedCapsuleFrag[] {
	if (!Array.isArray(cfrags) || cfrags.length === 0) {
		throw new NoCapsuleFragsError("no capsule fragments given");
	}
	if (cfrags.length > MAX_SHARES) {
		throw new UmbralParameterError(`at most ${MAX_SHARES} capsule fragments`);
	}
	const first = cfrags[0] as VerifiedCapsuleFrag;
	const ids = new Set<string>();
	for (const cfrag of cfrags) {
		if (!(cfrag instanceof VerifiedCapsuleFrag)) {
			throw new TypeError("decryptReencrypted needs VerifiedCapsuleFrags (see CapsuleFrag.verify)");
		}
		if (!cfrag.capsule.equals(capsule)) {
			throw new MismatchedCapsuleFragsError("a capsule fragment belongs to another capsule");
		}
		if (!cfrag.cfrag.precursor.equals(first.cfrag.precursor)) {
			throw new MismatchedCapsuleFragsError("capsule fragments come from different delegations");
		}
		const id = bytesToHex(cfrag.cfrag.kfragId);
		if (ids.has(id))
			throw new RepeatedCapsuleFragsError("two capsule fragments share a key fragment");
		ids.add(id);
	}
	return [...cfrags];
}

/** λ_i = Π_{j≠i} x_j / (x_j − x_i) for distinct non-zero x. */
function lagrangeCoefficients(xs: readonly bigint[]): bigint[] {
	return xs.map((xi, i) => {
		let numerator = 1n;
		let denominator = 1n;
		xs.forEach((xj, j) => {
			if (j === i) return;
			numerator = Fn.mul(numerator, xj);
			denominator = Fn.mul(denominator, Fn.sub(xj, xi));
		});
		if (denominator === 0n)
			throw new RepeatedCapsuleFragsError("two capsule fragments share a key fragment");
		return Fn.div(numerator, denominator);
	});
}

/**
 * The seed of `capsule` recovered by the holder of `receivingSk` from verified fragments of a
 * delegation by `delegatingPk`. Throws the typed errors of `decryptReencrypted`.
 */
export function openReencrypted(
	receivingSk: SecretKey,
	delegatingPk: PublicKey,
	capsule: Capsule,
	verifiedCFrags: readonly VerifiedCapsuleFrag[],
	backend: CurveBackend,
): Uint8Array {
	const cfrags = checkFragments(capsule, verifiedCFrags);
	const precursor = (cfrags[0] as VerifiedCapsuleFrag).cfrag.precursor;
	const receivingPk = receivingSk.publicKey({ backend });
	const secret = delegationSecret(
		precursor,
		receivingPk,
		mul(backend, precursor, receivingSk.scalar),
	);
	const lambdas = lagrangeCoefficients(cfrags.map((c) => polynomialArg(secret, c.cfrag.kfragId)));

	// The spec combines E' = Σ λ_i·E1_i, V' = Σ λ_i·V1_i, checks A·(s·d⁻¹) == h·E' + V' and
	// takes seed = d·(E' + V'). Scaling by d first (μ_i = d·λ_i, so E'' = d·E', V'' = d·V')
	// gives the same check, s·A == h·E'' + V'' (d ≠ 0), and the same seed E'' + V'', with two
	// secret multiplications fewer; the check's scalars s and h are public.
	let eScaled = Point.ZERO;
	let vScaled = Point.ZERO;
	cfrags.forEach(({ cfrag }, i) => {
		const mu = Fn.mul(secret.d, lambdas[i] as bigint);
		eScaled = add(backend, eScaled, mul(backend, cfrag.e1, mu));
		vScaled = add(backend, vScaled, mul(backend, cfrag.v1, mu));
	});

	// s·A − h·E'' == V'' holds only when the fragments reconstruct f(0) = a·d⁻¹.
	const h = capsuleHash(capsule.e, capsule.v);
	const check = mulAddPublic(backend, delegatingPk.point, capsule.s, eScaled, CURVE_ORDER - h);
	if (eScaled.is0() || !check.equals(vScaled)) {
		throw new ThresholdNotMetError(
			"the capsule fragments do not open the capsule: fewer than the threshold were given",
		);
	}
	return seedBytes(add(backend, eScaled, vScaled));
}
