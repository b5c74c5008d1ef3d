// Umbral capsule fragments (spec "Re-encryption"): what a proxy makes from a capsule and its
// key fragment, with the proof the recipient checks, and their 381-byte canonical form. A
// VerifiedCapsuleFrag remembers the capsule it was made or verified for; none is ever made
// without both the key fragment's signature and the re-encryption proof checking out.
import { equalBytes } from "@noble/curves/utils.js";
import type { Capsule } from "./capsule";
import {
	CURVE_ORDER,
	Fn,
	POINT_SIZE,
	type Point,
	pointFromBytes,
	pointToBytes,
	randomNonZeroScalar,
	SCALAR_SIZE,
	scalarFromBytes,
	scalarToBytes,
	U,
} from "./curve";
import { type CurveBackend, mul, mulAddPublic, mulU } from "./curve-backend";
import { UmbralVerificationError } from "./errors";
import { DST, hashToNonZeroScalar } from "./hash-to-scalar";
import { FRAG_ID_SIZE, kfragSignatureMessage, VerifiedKeyFrag } from "./key-frag";
import type { PublicKey } from "./keys";
import { resolveBackend, type UmbralOptions } from "./options";
import { MsgpackReader, MsgpackWriter } from "./serialization";
import { SIGNATURE_SIZE, Signature } from "./signatures";

/** Size of `CapsuleFrag.toBytes()`. */
export const CAPSULE_FRAG_SIZE = 381;

const VERIFIED = Symbol("verified capsule fragment");

/** The parts of a capsule fragment. */
interface CapsuleFragParts {
	e1: Point;
	v1: Point;
	/** Id of the key fragment that made it. */
	kfragId: Uint8Array;
	/** Precursor X of the delegation. */
	precursor: Point;
	e2: Point;
	v2: Point;
	/** The key fragment's commitment C = rk·U. */
	commitment: Point;
	u2: Point;
	z: bigint;
	/** The key fragment's signature for the receiver. */
	signature: Signature;
}

/** h = H_CFRAG_VERIFICATION(E, E1, E2, V, V1, V2, U, C, U2). */
function proofChallenge(capsule: Capsule, parts: CapsuleFragParts): bigint {
	return hashToNonZeroScalar(DST.cfragVerification, [
		capsule.e,
		parts.e1,
		parts.e2,
		capsule.v,
		parts.v1,
		parts.v2,
		U,
		parts.commitment,
		parts.u2,
	]);
}

/**
 * A capsule fragment as received from a proxy, not yet verified.
 * @example
 * const verified = CapsuleFrag.fromBytes(bytes).verify(capsule, verifyingPk, delegatingPk, receivingPk);
 */
export class CapsuleFrag {
	readonly e1: Point;
	readonly v1: Point;
	readonly kfragId: Uint8Array;
	readonly precursor: Point;
	readonly e2: Point;
	readonly v2: Point;
	readonly commitment: Point;
	readonly u2: Point;
	readonly z: bigint;
	readonly signature: Signature;

	private constructor(parts: CapsuleFragParts) {
		this.e1 = parts.e1;
		this.v1 = parts.v1;
		this.kfragId = parts.kfragId;
		this.precursor = parts.precursor;
		this.e2 = parts.e2;
		this.v2 = parts.v2;
		this.commitment = parts.commitment;
		this.u2 = parts.u2;
		this.z = parts.z;
		this.signature = parts.signature;
	}

	/** Parses the canonical 381-byte form; throws `UmbralFormatError` on any deviation. */
	static fromBytes(bytes: Uint8Array, options?: UmbralOptions): CapsuleFrag {
		const { decompress } = resolveBackend(options);
		const reader = new MsgpackReader(bytes, CAPSULE_FRAG_SIZE, "capsule fragment");
		const point = (what: string) =>
			pointFromBytes(reader.bin(POINT_SIZE), `capsule fragment ${what}`, decompress);
		reader.array(5);
		const e1 = point("E1");
		const v1 = point("V1");
		const kfragId = reader.bin(FRAG_ID_SIZE);
		const precursor = point("X");
		reader.array(6);
		const e2 = point("E2");
		const v2 = point("V2");
		const commitment = point("commitment");
		const u2 = point("U2");
		const z = scalarFromBytes(reader.bin(SCALAR_SIZE), "capsule fragment z");
		const signature = Signature.fromBytes(reader.bin(SIGNATURE_SIZE));
		reader.end();
		return new CapsuleFrag({ e1, v1, kfragId, precursor, e2, v2, commitment, u2, z, signature });
	}

	/** @internal */
	static fromParts(parts: CapsuleFragParts): CapsuleFrag {
		return new CapsuleFrag(parts);
	}

	/** The canonical 381-byte MessagePack form. */
	toBytes(): Uint8Array {
		return new MsgpackWriter()
			.array(5)
			.bin(pointToBytes(this.e1))
			.bin(pointToBytes(this.v1))
			.bin(this.kfragId)
			.bin(pointToBytes(this.precursor))
			.array(6)
			.bin(pointToBytes(this.e2))
			.bin(pointToBytes(this.v2))
			.bin(pointToBytes(this.commitment))
			.bin(pointToBytes(this.u2))
			.bin(scalarToBytes(this.z))
			.bin(this.signature.bytes)
			.finish();
	}

	/**
	 * Recipient-side check: the key fragment's receiver signature (over both keys) verifies
	 * under `verifyingPk`, and the re-encryption proof holds for `capsule`:
	 * zE == E2 + h·E1, zV == V2 + h·V1, zU == U2 + h·C. Throws `UmbralVerificationError`.
	 */
	verify(
		capsule: Capsule,
		verifyingPk: PublicKey,
		delegatingPk: PublicKey,
		receivingPk: PublicKey,
		options?: UmbralOptions,
	): VerifiedCapsuleFrag {
		const backend = resolveBackend(options);
		const message = kfragSignatureMessage(
			this.kfragId,
			this.commitment,
			this.precursor,
			delegatingPk,
			receivingPk,
		);
		if (!this.signature.verify(verifyingPk, message, { backend })) {
			throw new UmbralVerificationError("capsule fragment: key fragment signature does not verify");
		}
		const minusH = CURVE_ORDER - proofChallenge(capsule, this);
		// z·P + (n − h)·P1 == P2, every scalar public.
		const holds = (p: Point, p1: Point, p2: Point) =>
			mulAddPublic(backend, p, this.z, p1, minusH).equals(p2);
		if (
			!holds(capsule.e, this.e1, this.e2) ||
			!holds(capsule.v, this.v1, this.v2) ||
			!holds(U, this.commitment, this.u2)
		) {
			throw new UmbralVerificationError("capsule fragment: re-encryption proof does not verify");
		}
		return new VerifiedCapsuleFrag(VERIFIED, this, capsule);
	}

	/** True when both fragments have the same bytes. */
	equals(other: CapsuleFrag): boolean {
		return equalBytes(this.toBytes(), other.toBytes());
	}
}

/**
 * A capsule fragment known to be valid for one capsule: made by `reencrypt` or returned by
 * `CapsuleFrag.verify`. The only input `decryptReencrypted` takes.
 */
export class VerifiedCapsuleFrag {
	readonly cfrag: CapsuleFrag;
	/** The capsule this fragment was made or verified for. */
	readonly capsule: Capsule;

	/** @internal Only this module makes verified fragments. */
	constructor(token: typeof VERIFIED, cfrag: CapsuleFrag, capsule: Capsule) {
		if (token !== VERIFIED) throw new TypeError("use CapsuleFrag.verify or reencrypt");
		this.cfrag = cfrag;
		this.capsule = capsule;
	}

	/**
	 * Parses and verifies in one step: the same checks as
	 * `CapsuleFrag.fromBytes(bytes).verify(...)`.
	 */
	static fromBytes(
		bytes: Uint8Array,
		capsule: Capsule,
		verifyingPk: PublicKey,
		delegatingPk: PublicKey,
		receivingPk: PublicKey,
		options?: UmbralOptions,
	): VerifiedCapsuleFrag {
		return CapsuleFrag.fromBytes(bytes, options).verify(
			capsule,
			verifyingPk,
			delegatingPk,
			receivingPk,
			options,
		);
	}

	/** The canonical 381-byte form. */
	toBytes(): Uint8Array {
		return this.cfrag.toBytes();
	}

	/** The fragment without its verified status (e.g. to send it to the recipient). */
	unverify(): CapsuleFrag {
		return this.cfrag;
	}

	equals(other: VerifiedCapsuleFrag): boolean {
		return this.cfrag.equals(other.cfrag);
	}
}

/**
 * Proxy side: re-encrypts `capsule` with one verified key fragment, with a proof of correct
 * re-encryption. E1 = rk·E, V1 = rk·V; random t: E2 = tE, V2 = tV, U2 = tU; z = rk·h + t.
 * @example
 * const cfrag = reencrypt(capsule, verifiedKFrag, { backend });
 */
export function reencrypt(
	capsule: Capsule,
	verifiedKFrag: VerifiedKeyFrag,
	options?: UmbralOptions,
): VerifiedCapsuleFrag {
	if (!(verifiedKFrag instanceof VerifiedKeyFrag)) {
		throw new TypeError("reencrypt needs a VerifiedKeyFrag (see KeyFrag.verify)");
	}
	const backend: CurveBackend = resolveBackend(options);
	const { rk, id, precursor, commitment, sigReceiver } = verifiedKFrag.kfrag;
	const t = randomNonZeroScalar();
	const parts: CapsuleFragParts = {
		e1: mul(backend, capsule.e, rk),
		v1: mul(backend, capsule.v, rk),
		kfragId: id,
		precursor,
		e2: mul(backend, capsule.e, t),
		v2: mul(backend, capsule.v, t),
		commitment,
		u2: mulU(backend, t),
		z: 0n,
		signature: sigReceiver,
	};
	parts.z = Fn.add(Fn.mul(rk, proofChallenge(capsule, parts)), t);
	return new VerifiedCapsuleFrag(VERIFIED, CapsuleFrag.fromParts(parts), capsule);
}
