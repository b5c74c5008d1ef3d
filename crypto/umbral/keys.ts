// Umbral secret and public keys (secp256k1): a secret key is a scalar in [1, n), 32 bytes
// big-endian; a public key is a compressed point, 33 bytes. A SecretKey never prints its value.
import { bytesToHex, equalBytes } from "@noble/curves/utils.js";
import {
	CURVE_ORDER,
	nonZeroScalarFromBytes,
	type Point,
	pointFromBytes,
	pointToBytes,
	randomNonZeroScalar,
	scalarToBytes,
} from "./curve";
import { mulBase } from "./curve-backend";
import { UmbralFormatError } from "./errors";
import { resolveBackend, type UmbralOptions } from "./options";

/**
 * A secp256k1 secret key.
 *
 * Security: when used as the delegating key of `generateKFrags`, t colluding proxies plus the
 * recipient can recover it. A delegating key must therefore be a fresh key made for one
 * share (a `ShareKey`), never a user's identity key.
 * @example
 * const sk = SecretKey.random();
 * const pk = sk.publicKey();
 */
export class SecretKey {
	readonly #scalar: bigint;
	#publicKey: PublicKey | undefined;

	private constructor(scalar: bigint) {
		this.#scalar = scalar;
	}

	/** A fresh random key from the platform CSPRNG. */
	static random(): SecretKey {
		return new SecretKey(randomNonZeroScalar());
	}

	/** Parses exactly 32 big-endian bytes in [1, n); throws `UmbralFormatError` otherwise. */
	static fromBytes(bytes: Uint8Array): SecretKey {
		return new SecretKey(nonZeroScalarFromBytes(bytes, "secret key"));
	}

	/** @internal Wraps a scalar in [1, n) (anything else is refused). */
	static fromScalar(scalar: bigint): SecretKey {
		if (typeof scalar !== "bigint" || scalar <= 0n || scalar >= CURVE_ORDER) {
			throw new UmbralFormatError("secret key: not in [1, n)");
		}
		return new SecretKey(scalar);
	}

	/** The 32 big-endian bytes of the key (handle as a secret). */
	toBytes(): Uint8Array {
		return scalarToBytes(this.#scalar);
	}

	/** @internal The scalar value. */
	get scalar(): bigint {
		return this.#scalar;
	}

	/** The matching public key a·G (computed once, then remembered). */
	publicKey(options?: UmbralOptions): PublicKey {
		this.#publicKey ??= PublicKey.fromPoint(mulBase(resolveBackend(options), this.#scalar));
		return this.#publicKey;
	}

	/** Never reveals the key in logs. */
	toString(): string {
		return "SecretKey:…";
	}

	/** Never reveals the key in JSON. */
	toJSON(): string {
		return this.toString();
	}
}

/**
 * A secp256k1 public key, serialized as 33 compressed bytes.
 * @example
 * const pk = PublicKey.fromBytes(bytes); // throws UmbralFormatError unless canonical
 */
export class PublicKey {
	readonly point: Point;
	readonly #bytes: Uint8Array;

	private constructor(point: Point, bytes: Uint8Array) {
		this.point = point;
		this.#bytes = bytes;
	}

	/** Parses exactly 33 compressed bytes of a non-identity point. */
	static fromBytes(bytes: Uint8Array, options?: UmbralOptions): PublicKey {
		const copy = Uint8Array.from(bytes);
		const { decompress } = resolveBackend(options);
		return new PublicKey(pointFromBytes(copy, "public key", decompress), copy);
	}

	/** @internal Wraps a non-identity point. */
	static fromPoint(point: Point): PublicKey {
		if (point.is0()) throw new UmbralFormatError("public key: identity point");
		return new PublicKey(point, pointToBytes(point));
	}

	/** The 33 compressed bytes. */
	toBytes(): Uint8Array {
		return Uint8Array.from(this.#bytes);
	}

	/** @internal The bytes without copying (do not mutate). */
	get bytes(): Uint8Array {
		return this.#bytes;
	}

	/** True when both keys are the same point. */
	equals(other: PublicKey): boolean {
		return equalBytes(this.#bytes, other.#bytes);
	}

	toString(): string {
		return `PublicKey:${bytesToHex(this.#bytes)}`;
	}
}
