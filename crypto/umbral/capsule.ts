// The Umbral capsule (spec "Encapsulation"): (E, V, s) with sG = V + H(E, V)·E, the key
// encapsulation to a public key, and its opening by the owner. Parsing always checks the
// capsule's proof, so a Capsule object is always well-formed.
import { equalBytes } from "@noble/curves/utils.js";
import {
	CURVE_ORDER,
	Fn,
	G,
	POINT_SIZE,
	type Point,
	pointFromBytes,
	pointToBytes,
	randomNonZeroScalar,
	SCALAR_SIZE,
	scalarFromBytes,
	scalarToBytes,
} from "./curve";
import { add, type CurveBackend, mul, mulAddPublic, mulBase } from "./curve-backend";
import { DecryptionFailedError, UmbralVerificationError } from "./errors";
import { DST, hashToNonZeroScalar } from "./hash-to-scalar";
import type { PublicKey, SecretKey } from "./keys";
import { resolveBackend, type UmbralOptions } from "./options";
import { MsgpackReader, MsgpackWriter } from "./serialization";

/** Size of `Capsule.toBytes()`. */
export const CAPSULE_SIZE = 105;

/** Size of the capsule simple bytes E ‖ V ‖ s (the DEM's associated data). */
export const CAPSULE_SIMPLE_SIZE = 2 * POINT_SIZE + SCALAR_SIZE;

/**
 * An encapsulated symmetric key: points E, V and scalar s. Public; travels with the
 * ciphertext. Serialized as rust-umbral 0.10 MessagePack (105 bytes).
 * @example
 * const capsule = Capsule.fromBytes(bytes); // throws unless canonical and self-consistent
 */
export class Capsule {
	readonly e: Point;
	readonly v: Point;
	readonly s: bigint;
	readonly #simple: Uint8Array;

	private constructor(e: Point, v: Point, s: bigint) {
		this.e = e;
		this.v = v;
		this.s = s;
		const simple = new Uint8Array(CAPSULE_SIMPLE_SIZE);
		simple.set(pointToBytes(e), 0);
		simple.set(pointToBytes(v), POINT_SIZE);
		simple.set(scalarToBytes(s), 2 * POINT_SIZE);
		this.#simple = simple;
	}

	/**
	 * Parses the canonical 105-byte form and checks sG == V + H(E, V)·E.
	 * Throws `UmbralFormatError` for bad bytes, `UmbralVerificationError` for a bad proof.
	 */
	static fromBytes(bytes: Uint8Array, options?: UmbralOptions): Capsule {
		const backend = resolveBackend(options);
		const reader = new MsgpackReader(bytes, CAPSULE_SIZE, "capsule");
		reader.array(3);
		const e = pointFromBytes(reader.bin(POINT_SIZE), "capsule E", backend.decompress);
		const v = pointFromBytes(reader.bin(POINT_SIZE), "capsule V", backend.decompress);
		const s = scalarFromBytes(reader.bin(SCALAR_SIZE), "capsule s");
		reader.end();
		const capsule = new Capsule(e, v, s);
		if (!capsule.#isConsistent(backend)) {
			throw new UmbralVerificationError("capsule proof does not verify");
		}
		return capsule;
	}

	/** @internal Makes a capsule from values this implementation just computed. */
	static fromParts(e: Point, v: Point, s: bigint): Capsule {
		return new Capsule(e, v, s);
	}

	/** The canonical 105-byte MessagePack form. */
	toBytes(): Uint8Array {
		const simple = this.#simple;
		return new MsgpackWriter()
			.array(3)
			.bin(simple.subarray(0, POINT_SIZE))
			.bin(simple.subarray(POINT_SIZE, 2 * POINT_SIZE))
			.bin(simple.subarray(2 * POINT_SIZE))
			.finish();
	}

	/** E ‖ V ‖ s (98 bytes), the DEM's associated data. */
	toBytesSimple(): Uint8Array {
		return Uint8Array.from(this.#simple);
	}

	/** @internal The simple bytes without copying (do not mutate). */
	get simpleBytes(): Uint8Array {
		return this.#simple;
	}

	/** True when both capsules have the same bytes. */
	equals(other: Capsule): boolean {
		return equalBytes(this.#simple, other.#simple);
	}

	// sG == V + h·E, checked as s·G + (n − h)·E == V (all scalars public).
	#isConsistent(backend: CurveBackend): boolean {
		const h = capsuleHash(this.e, this.v);
		return mulAddPublic(backend, G, this.s, this.e, CURVE_ORDER - h).equals(this.v);
	}
}

/** h = H_CAPSULE_POINTS(E, V). */
export function capsuleHash(e: Point, v: Point): bigint {
	return hashToNonZeroScalar(DST.capsulePoints, [e, v]);
}

/** The shared seed bytes: the compressed encoding of a non-identity point. */
export function seedBytes(point: Point): Uint8Array {
	if (point.is0()) throw new DecryptionFailedError("capsule does not open to a key");
	return pointToBytes(point);
}

/** Encapsulates a fresh key to `pk`: returns the capsule and the seed only `pk`'s owner can recover. */
export function encapsulate(
	pk: PublicKey,
	backend: CurveBackend,
): { capsule: Capsule; seed: Uint8Array } {
	const r = randomNonZeroScalar();
	const u = randomNonZeroScalar();
	const e = mulBase(backend, r);
	const v = mulBase(backend, u);
	const h = capsuleHash(e, v);
	const s = Fn.add(u, Fn.mul(r, h));
	const seed = seedBytes(mul(backend, pk.point, Fn.add(r, u)));
	return { capsule: Capsule.fromParts(e, v, s), seed };
}

/** The seed as the owner of `sk` recovers it: compress(a·(E + V)). */
export function openOriginal(sk: SecretKey, capsule: Capsule, backend: CurveBackend): Uint8Array {
	return seedBytes(mul(backend, add(backend, capsule.e, capsule.v), sk.scalar));
}
