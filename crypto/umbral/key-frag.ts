// Umbral key fragments (spec "Key fragments"): the share a proxy holds, the signed commitment
// it checks, the signed-message layout, and the 310-byte canonical form. A VerifiedKeyFrag
// exists only after generation (generate-kfrags.ts) or a successful verification; rk is the
// proxy's secret and is never printed.
import { equalBytes } from "@noble/curves/utils.js";
import { concatBytes } from "@noble/hashes/utils.js";
import {
	POINT_SIZE,
	type Point,
	pointFromBytes,
	pointToBytes,
	SCALAR_SIZE,
	scalarFromBytes,
	scalarToBytes,
	U,
} from "./curve";
import { mulU } from "./curve-backend";
import { UmbralVerificationError } from "./errors";
import type { PublicKey } from "./keys";
import { resolveBackend, type UmbralOptions } from "./options";
import { MsgpackReader, MsgpackWriter } from "./serialization";
import { SIGNATURE_SIZE, Signature } from "./signatures";

/** Size of `KeyFrag.toBytes()`. */
export const KEY_FRAG_SIZE = 310;

/** Size of a fragment id. */
export const FRAG_ID_SIZE = 32;

/** Largest number of shares `generateKFrags` makes (an input bound, far above real use). */
export const MAX_SHARES = 256;

/** @internal Capability to mark a fragment verified; never exported from the package index. */
export const VERIFIED_KFRAG = Symbol("verified key fragment");

/**
 * The message a kfrag signature covers: id ‖ C ‖ X ‖ (0x01 ‖ A | 0x00) ‖ (0x01 ‖ B | 0x00).
 */
export function kfragSignatureMessage(
	id: Uint8Array,
	commitment: Point,
	precursor: Point,
	delegatingPk: PublicKey | null,
	receivingPk: PublicKey | null,
): Uint8Array {
	const maybeKey = (key: PublicKey | null) =>
		key === null ? Uint8Array.of(0) : concatBytes(Uint8Array.of(1), key.bytes);
	return concatBytes(
		id,
		pointToBytes(commitment),
		pointToBytes(precursor),
		maybeKey(delegatingPk),
		maybeKey(receivingPk),
	);
}

/** The parts of a key fragment. */
interface KeyFragParts {
	/** The parameter point U carried by the fragment (must equal U). */
	u: Point;
	id: Uint8Array;
	/** The re-encryption key share rk = f(xi) (secret of the proxy). */
	rk: bigint;
	/** The precursor X = x·G of the delegation. */
	precursor: Point;
	/** The commitment C = rk·U. */
	commitment: Point;
	sigProxy: Signature;
	sigReceiver: Signature;
	signDelegatingKey: boolean;
	signReceivingKey: boolean;
}

/**
 * A key fragment as received by a proxy, not yet verified. Holds the proxy's secret share:
 * send it only sealed to that proxy.
 * @example
 * const verified = KeyFrag.fromBytes(bytes).verify(verifyingPk, delegatingPk, receivingPk);
 */
export class KeyFrag {
	readonly u: Point;
	readonly id: Uint8Array;
	readonly rk: bigint;
	readonly precursor: Point;
	readonly commitment: Point;
	readonly sigProxy: Signature;
	readonly sigReceiver: Signature;
	readonly signDelegatingKey: boolean;
	readonly signReceivingKey: boolean;

	private constructor(parts: KeyFragParts) {
		this.u = parts.u;
		this.id = parts.id;
		this.rk = parts.rk;
		this.precursor = parts.precursor;
		this.commitment = parts.commitment;
		this.sigProxy = parts.sigProxy;
		this.sigReceiver = parts.sigReceiver;
		this.signDelegatingKey = parts.signDelegatingKey;
		this.signReceivingKey = parts.signReceivingKey;
	}

	/** @internal */
	static fromParts(parts: KeyFragParts): KeyFrag {
		return new KeyFrag(parts);
	}

	/** Parses the canonical 310-byte form; throws `UmbralFormatError` on any deviation. */
	static fromBytes(bytes: Uint8Array, options?: UmbralOptions): KeyFrag {
		const { decompress } = resolveBackend(options);
		const reader = new MsgpackReader(bytes, KEY_FRAG_SIZE, "key fragment");
		const point = (what: string) =>
			pointFromBytes(reader.bin(POINT_SIZE), `key fragment ${what}`, decompress);
		reader.array(5);
		reader.array(1);
		const u = point("U");
		const id = reader.bin(FRAG_ID_SIZE);
		const rk = scalarFromBytes(reader.bin(SCALAR_SIZE), "key fragment rk");
		const precursor = point("X");
		reader.array(5);
		const commitment = point("commitment");
		const sigProxy = Signature.fromBytes(reader.bin(SIGNATURE_SIZE));
		const sigReceiver = Signature.fromBytes(reader.bin(SIGNATURE_SIZE));
		const signDelegatingKey = reader.bool();
		const signReceivingKey = reader.bool();
		reader.end();
		return new KeyFrag({
			u,
			id,
			rk,
			precursor,
			commitment,
			sigProxy,
			sigReceiver,
			signDelegatingKey,
			signReceivingKey,
		});
	}

	/** The canonical 310-byte MessagePack form. */
	toBytes(): Uint8Array {
		return new MsgpackWriter()
			.array(5)
			.array(1)
			.bin(pointToBytes(this.u))
			.bin(this.id)
			.bin(scalarToBytes(this.rk))
			.bin(pointToBytes(this.precursor))
			.array(5)
			.bin(pointToBytes(this.commitment))
			.bin(this.sigProxy.bytes)
			.bin(this.sigReceiver.bytes)
			.bool(this.signDelegatingKey)
			.bool(this.signReceivingKey)
			.finish();
	}

	/**
	 * Proxy-side check: U is the parameter, C == rk·U, and the proxy signature verifies under
	 * `verifyingPk` over the keys the fragment says were signed (which must then be given).
	 * Throws `UmbralVerificationError` on failure.
	 */
	verify(
		verifyingPk: PublicKey,
		delegatingPk?: PublicKey | null,
		receivingPk?: PublicKey | null,
		options?: UmbralOptions,
	): VerifiedKeyFrag {
		const backend = resolveBackend(options);
		if (!this.u.equals(U)) throw new UmbralVerificationError("key fragment: wrong parameter U");
		if (this.signDelegatingKey && !delegatingPk) {
			throw new UmbralVerificationError("key fragment: the delegating key is signed but not given");
		}
		if (this.signReceivingKey && !receivingPk) {
			throw new UmbralVerificationError("key fragment: the receiving key is signed but not given");
		}
		if (!mulU(backend, this.rk).equals(this.commitment)) {
			throw new UmbralVerificationError("key fragment: commitment does not match");
		}
		const message = kfragSignatureMessage(
			this.id,
			this.commitment,
			this.precursor,
			this.signDelegatingKey ? (delegatingPk ?? null) : null,
			this.signReceivingKey ? (receivingPk ?? null) : null,
		);
		if (!this.sigProxy.verify(verifyingPk, message, { backend })) {
			throw new UmbralVerificationError("key fragment: proxy signature does not verify");
		}
		return new VerifiedKeyFrag(VERIFIED_KFRAG, this);
	}

	/** True when both fragments have the same bytes (constant-time comparison: rk is secret). */
	equals(other: KeyFrag): boolean {
		return equalBytes(this.toBytes(), other.toBytes());
	}

	/** Never reveals the secret share. */
	toString(): string {
		return "KeyFrag:…";
	}
}

/**
 * A key fragment known to be valid: made by `generateKFrags` or returned by `KeyFrag.verify`.
 * The only input `reencrypt` takes.
 */
export class VerifiedKeyFrag {
	readonly kfrag: KeyFrag;

	/** @internal Only this module makes verified fragments. */
	constructor(token: typeof VERIFIED_KFRAG, kfrag: KeyFrag) {
		if (token !== VERIFIED_KFRAG) throw new TypeError("use KeyFrag.verify or generateKFrags");
		this.kfrag = kfrag;
	}

	/**
	 * Parses and verifies in one step (a proxy loading a stored fragment): the same checks as
	 * `KeyFrag.fromBytes(bytes).verify(...)`, so unverified bytes can never become verified.
	 */
	static fromBytes(
		bytes: Uint8Array,
		verifyingPk: PublicKey,
		delegatingPk?: PublicKey | null,
		receivingPk?: PublicKey | null,
		options?: UmbralOptions,
	): VerifiedKeyFrag {
		return KeyFrag.fromBytes(bytes, options).verify(
			verifyingPk,
			delegatingPk,
			receivingPk,
			options,
		);
	}

	/** The canonical 310-byte form (the same bytes as the unverified fragment). */
	toBytes(): Uint8Array {
		return this.kfrag.toBytes();
	}

	/** The fragment without its verified status (e.g. to send it on). */
	unverify(): KeyFrag {
		return this.kfrag;
	}

	equals(other: VerifiedKeyFrag): boolean {
		return this.kfrag.equals(other.kfrag);
	}

	toString(): string {
		return "VerifiedKeyFrag:…";
	}
}
