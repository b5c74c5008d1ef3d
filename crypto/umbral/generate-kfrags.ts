// Generation of Umbral key fragments (spec "Key fragments"): the delegation a → B split into
// N shares with threshold t (1 ≤ t ≤ N enforced), each committed to (C = rk·U) and signed.
// The delegating key must be a fresh per-share key: t proxies plus the recipient recover it.
import { randomBytes } from "@noble/hashes/utils.js";
import { Fn, randomNonZeroScalar, U } from "./curve";
import { type CurveBackend, mul, mulBase, mulU } from "./curve-backend";
import { delegationSecret, evaluatePolynomial, polynomialArg } from "./delegation";
import { UmbralParameterError } from "./errors";
import {
	FRAG_ID_SIZE,
	KeyFrag,
	kfragSignatureMessage,
	MAX_SHARES,
	VERIFIED_KFRAG,
	VerifiedKeyFrag,
} from "./key-frag";
import { PublicKey, SecretKey } from "./keys";
import { resolveBackend, type UmbralOptions } from "./options";
import { Signer } from "./signatures";

/** Arguments of `generateKFrags`. */
export interface GenerateKFragsParams {
	/**
	 * The delegating secret key a. t colluding proxies plus the recipient can recover it, so
	 * it MUST be a fresh key made for this one share (a ShareKey), never an identity key.
	 */
	delegatingSk: SecretKey;
	/** The recipient's public key B. */
	receivingPk: PublicKey;
	/** Signs the fragments; proxies and the recipient check with its verifying key. */
	signer: Signer;
	/** Fragments needed to open: 1 ≤ threshold ≤ shares. */
	threshold: number;
	/** Fragments made (one per proxy), at most MAX_SHARES. */
	shares: number;
	/** Whether the proxy signature covers the delegating key A. */
	signDelegatingKey: boolean;
	/** Whether the proxy signature covers the receiving key B. */
	signReceivingKey: boolean;
}

function checkParams(params: GenerateKFragsParams): void {
	const { delegatingSk, receivingPk, signer, threshold, shares } = params;
	if (!(delegatingSk instanceof SecretKey))
		throw new UmbralParameterError("delegatingSk: not a SecretKey");
	if (!(receivingPk instanceof PublicKey))
		throw new UmbralParameterError("receivingPk: not a PublicKey");
	if (!(signer instanceof Signer)) throw new UmbralParameterError("signer: not a Signer");
	if (!Number.isSafeInteger(shares) || shares < 1 || shares > MAX_SHARES) {
		throw new UmbralParameterError(`shares must be an integer from 1 to ${MAX_SHARES}`);
	}
	if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > shares) {
		throw new UmbralParameterError("threshold must be an integer from 1 to shares");
	}
	if (
		typeof params.signDelegatingKey !== "boolean" ||
		typeof params.signReceivingKey !== "boolean"
	) {
		throw new UmbralParameterError("signDelegatingKey and signReceivingKey must be booleans");
	}
}

/**
 * Splits the delegation delegatingSk → receivingPk into `shares` verified key fragments, any
 * `threshold` of which re-encrypt a capsule made for delegatingSk's public key.
 *
 * Security: the delegating key must be a fresh per-share key, never a user identity key —
 * `threshold` colluding proxies together with the recipient can recover it.
 * @example
 * const kfrags = generateKFrags({ delegatingSk: shareSk, receivingPk, signer, threshold: 3,
 *   shares: 5, signDelegatingKey: true, signReceivingKey: true });
 */
export function generateKFrags(
	params: GenerateKFragsParams,
	options?: UmbralOptions,
): VerifiedKeyFrag[] {
	checkParams(params);
	const backend: CurveBackend = resolveBackend(options);
	const { delegatingSk, receivingPk, signer, threshold, shares } = params;
	const delegatingPk = delegatingSk.publicKey({ backend });

	const x = randomNonZeroScalar();
	const precursor = mulBase(backend, x);
	const secret = delegationSecret(precursor, receivingPk, mul(backend, receivingPk.point, x));
	const coefficients = [Fn.mul(delegatingSk.scalar, Fn.inv(secret.d))];
	for (let i = 1; i < threshold; i++) coefficients.push(randomNonZeroScalar());

	const kfrags: VerifiedKeyFrag[] = [];
	for (let i = 0; i < shares; i++) {
		const id = randomBytes(FRAG_ID_SIZE);
		const rk = evaluatePolynomial(coefficients, polynomialArg(secret, id));
		const commitment = mulU(backend, rk);
		const receiverMessage = kfragSignatureMessage(
			id,
			commitment,
			precursor,
			delegatingPk,
			receivingPk,
		);
		const sigReceiver = signer.sign(receiverMessage, { backend });
		// When the proxy signature covers both keys its message is the receiver's: one
		// signature serves both (a valid signature of the same message either way).
		const sigProxy =
			params.signDelegatingKey && params.signReceivingKey
				? sigReceiver
				: signer.sign(
						kfragSignatureMessage(
							id,
							commitment,
							precursor,
							params.signDelegatingKey ? delegatingPk : null,
							params.signReceivingKey ? receivingPk : null,
						),
						{ backend },
					);
		const kfrag = KeyFrag.fromParts({
			u: U,
			id,
			rk,
			precursor,
			commitment,
			sigProxy,
			sigReceiver,
			signDelegatingKey: params.signDelegatingKey,
			signReceivingKey: params.signReceivingKey,
		});
		kfrags.push(new VerifiedKeyFrag(VERIFIED_KFRAG, kfrag));
	}
	coefficients.fill(0n);
	return kfrags;
}
