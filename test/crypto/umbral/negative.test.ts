// Umbral refuses what it must: every tampered field of a capsule, key fragment and capsule
// fragment fails verification; fragments of another capsule or delegation, repeated ones and
// fewer than t are refused with their own error; the strict parser rejects every
// non-canonical form; bad parameters are refused. Checked with each curve backend.
import { describe, expect, it } from "vitest";
import {
	Capsule,
	CapsuleFrag,
	decryptOriginal,
	decryptReencrypted,
	encrypt,
	generateKFrags,
	KeyFrag,
	PublicKey,
	reencrypt,
	SecretKey,
	SecretKeyFactory,
	Signature,
	Signer,
	VerifiedCapsuleFrag,
	VerifiedKeyFrag,
} from "../../../crypto/umbral";
import { CURVE_ORDER, G, scalarToBytes } from "../../../crypto/umbral/curve";
import { backends, hex, oracleFixtures, utf8 } from "./fixtures";

/** A copy of `bytes` with `replacement` written at `offset`. */
function replaced(bytes: Uint8Array, offset: number, replacement: Uint8Array): Uint8Array {
	const out = Uint8Array.from(bytes);
	out.set(replacement, offset);
	return out;
}

/** The error name `fn` throws (fails the test if it does not throw). */
function errorName(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		return (error as Error).name;
	}
	throw new Error("expected a throw");
}

const anotherPoint = () => SecretKey.random().publicKey().toBytes();
const bumpScalar = (bytes: Uint8Array) =>
	scalarToBytes((BigInt(`0x${Buffer.from(bytes).toString("hex")}`) + 1n) % CURVE_ORDER);

// Field offsets of the canonical layouts (spec "Serialized forms").
const CAPSULE_FIELDS = { E: [3, 33], V: [38, 33], s: [73, 32] } as const;
const KFRAG_FIELDS = {
	U: [4, 33],
	id: [39, 32],
	rk: [73, 32],
	X: [107, 33],
	C: [143, 33],
	sigProxy: [178, 64],
} as const;
const CFRAG_FIELDS = {
	E1: [3, 33],
	V1: [38, 33],
	id: [73, 32],
	X: [107, 33],
	E2: [143, 33],
	V2: [178, 33],
	C: [213, 33],
	U2: [248, 33],
	z: [283, 32],
	signature: [317, 64],
} as const;

/** A replacement for one field that still parses: another point, scalar + 1, flipped id, another signature. */
function tamper(bytes: Uint8Array, field: string, offset: number, length: number): Uint8Array {
	const current = bytes.subarray(offset, offset + length);
	if (length === 33) return replaced(bytes, offset, anotherPoint());
	if (length === 64)
		return replaced(bytes, offset, new Signer(SecretKey.random()).sign(utf8(field)).toBytes());
	if (field === "id")
		return replaced(
			bytes,
			offset,
			current.map((b, i) => (i === 0 ? b ^ 1 : b)),
		);
	return replaced(bytes, offset, bumpScalar(current));
}

describe.each(backends)("tampering and misuse (%s backend)", (_name, backend) => {
	const options = { backend };
	const delegatingSk = SecretKey.random();
	const receivingSk = SecretKey.random();
	const signer = new Signer(SecretKey.random(), options);
	const delegatingPk = delegatingSk.publicKey();
	const receivingPk = receivingSk.publicKey();
	const verifyingPk = signer.verifyingKey();
	const plaintext = utf8("the node key of a shared folder");
	const { capsule, ciphertext } = encrypt(delegatingPk, plaintext, options);
	const share = (threshold = 2, shares = 3) =>
		generateKFrags(
			{
				delegatingSk,
				receivingPk,
				signer,
				threshold,
				shares,
				signDelegatingKey: true,
				signReceivingKey: true,
			},
			options,
		);
	const kfrags = share();
	const cfrags = kfrags.map((k) => reencrypt(capsule, k, options));
	const verifyCFrag = (bytes: Uint8Array, target = capsule) =>
		CapsuleFrag.fromBytes(bytes).verify(target, verifyingPk, delegatingPk, receivingPk, options);
	const verifyKFrag = (bytes: Uint8Array) =>
		KeyFrag.fromBytes(bytes).verify(verifyingPk, delegatingPk, receivingPk, options);

	it.each(Object.entries(CAPSULE_FIELDS))(
		"a capsule with a changed %s fails its proof",
		(field, [offset, length]) => {
			const bytes = tamper(capsule.toBytes(), field, offset, length);
			expect(errorName(() => Capsule.fromBytes(bytes, options))).toBe("UmbralVerificationError");
		},
	);

	it.each(Object.entries(KFRAG_FIELDS))(
		"a key fragment with a changed %s fails verification",
		(field, [offset, length]) => {
			const bytes = tamper(kfrags[0]!.toBytes(), field, offset, length);
			expect(errorName(() => verifyKFrag(bytes))).toBe("UmbralVerificationError");
		},
	);

	it("a key fragment with a changed receiver signature passes the proxy but its cfrag is refused", () => {
		const bytes = tamper(kfrags[0]!.toBytes(), "sigReceiver", 244, 64);
		const cfrag = reencrypt(capsule, verifyKFrag(bytes), options);
		expect(errorName(() => verifyCFrag(cfrag.toBytes()))).toBe("UmbralVerificationError");
	});

	it("a key fragment with a flipped key flag, or checked against other keys, fails verification", () => {
		const bytes = kfrags[0]!.toBytes();
		expect(errorName(() => verifyKFrag(replaced(bytes, 308, Uint8Array.of(0xc2))))).toBe(
			"UmbralVerificationError",
		);
		expect(errorName(() => verifyKFrag(replaced(bytes, 309, Uint8Array.of(0xc2))))).toBe(
			"UmbralVerificationError",
		);
		const other = SecretKey.random().publicKey();
		const kfrag = KeyFrag.fromBytes(bytes);
		expect(errorName(() => kfrag.verify(other, delegatingPk, receivingPk, options))).toBe(
			"UmbralVerificationError",
		);
		expect(errorName(() => kfrag.verify(verifyingPk, other, receivingPk, options))).toBe(
			"UmbralVerificationError",
		);
		expect(errorName(() => kfrag.verify(verifyingPk, delegatingPk, other, options))).toBe(
			"UmbralVerificationError",
		);
		expect(errorName(() => kfrag.verify(verifyingPk, null, receivingPk, options))).toBe(
			"UmbralVerificationError",
		);
		expect(errorName(() => kfrag.verify(verifyingPk, delegatingPk, undefined, options))).toBe(
			"UmbralVerificationError",
		);
	});

	it.each(Object.entries(CFRAG_FIELDS))(
		"a capsule fragment with a changed %s fails verification",
		(field, [offset, length]) => {
			const bytes = tamper(cfrags[0]!.toBytes(), field, offset, length);
			expect(errorName(() => verifyCFrag(bytes))).toBe("UmbralVerificationError");
		},
	);

	it("VerifiedKeyFrag.fromBytes and VerifiedCapsuleFrag.fromBytes verify what they parse", () => {
		const kfragBytes = kfrags[0]!.toBytes();
		const loaded = VerifiedKeyFrag.fromBytes(
			kfragBytes,
			verifyingPk,
			delegatingPk,
			receivingPk,
			options,
		);
		expect(loaded.toBytes()).toEqual(kfragBytes);
		const tamperedKFrag = tamper(kfragBytes, "rk", 73, 32);
		expect(
			errorName(() =>
				VerifiedKeyFrag.fromBytes(tamperedKFrag, verifyingPk, delegatingPk, receivingPk, options),
			),
		).toBe("UmbralVerificationError");
		const cfragBytes = reencrypt(capsule, loaded, options).toBytes();
		const args = [capsule, verifyingPk, delegatingPk, receivingPk, options] as const;
		expect(VerifiedCapsuleFrag.fromBytes(cfragBytes, ...args).toBytes()).toEqual(cfragBytes);
		const tamperedCFrag = tamper(cfragBytes, "z", 283, 32);
		expect(errorName(() => VerifiedCapsuleFrag.fromBytes(tamperedCFrag, ...args))).toBe(
			"UmbralVerificationError",
		);
	});

	it("a capsule fragment is refused for another capsule or other keys", () => {
		const other = encrypt(delegatingPk, plaintext, options).capsule;
		const bytes = cfrags[0]!.toBytes();
		expect(errorName(() => verifyCFrag(bytes, other))).toBe("UmbralVerificationError");
		const cfrag = CapsuleFrag.fromBytes(bytes);
		const stranger = SecretKey.random().publicKey();
		for (const keys of [
			[stranger, delegatingPk, receivingPk],
			[verifyingPk, stranger, receivingPk],
			[verifyingPk, delegatingPk, stranger],
		] as const) {
			expect(errorName(() => cfrag.verify(capsule, ...keys, options))).toBe(
				"UmbralVerificationError",
			);
		}
	});

	it("opens with t fragments and refuses none, t−1, repeated, or mixed fragments", () => {
		const open = (set: VerifiedCapsuleFrag[], target = capsule) =>
			decryptReencrypted(receivingSk, delegatingPk, target, set, ciphertext, options);
		expect(open([cfrags[0]!, cfrags[2]!])).toEqual(plaintext);
		expect(errorName(() => open([]))).toBe("NoCapsuleFragsError");
		expect(errorName(() => open([cfrags[1]!]))).toBe("ThresholdNotMetError");
		expect(errorName(() => open([cfrags[1]!, cfrags[1]!]))).toBe("RepeatedCapsuleFragsError");
		const again = reencrypt(capsule, kfrags[1]!, options);
		expect(errorName(() => open([cfrags[1]!, again]))).toBe("RepeatedCapsuleFragsError");
		// Another delegation between the same keys has another precursor X.
		const otherDelegation = reencrypt(capsule, share()[0]!, options);
		expect(errorName(() => open([cfrags[0]!, otherDelegation]))).toBe(
			"MismatchedCapsuleFragsError",
		);
		// Fragments verified for another capsule are refused before any arithmetic.
		const other = encrypt(delegatingPk, plaintext, options).capsule;
		const forOther = [reencrypt(other, kfrags[0]!, options), reencrypt(other, kfrags[1]!, options)];
		expect(errorName(() => open(forOther))).toBe("MismatchedCapsuleFragsError");
		expect(errorName(() => open([cfrags[0]!, ...forOther.slice(1)], capsule))).toBe(
			"MismatchedCapsuleFragsError",
		);
	});

	it("refuses t−1 fragments of a 3-of-5 share and opens with any 3", () => {
		const set = share(3, 5).map((k) => reencrypt(capsule, k, options));
		expect(
			errorName(() =>
				decryptReencrypted(
					receivingSk,
					delegatingPk,
					capsule,
					set.slice(0, 2),
					ciphertext,
					options,
				),
			),
		).toBe("ThresholdNotMetError");
		expect(
			decryptReencrypted(receivingSk, delegatingPk, capsule, set.slice(2), ciphertext, options),
		).toEqual(plaintext);
	});

	it("fails decryption with the wrong key or a changed ciphertext", () => {
		expect(errorName(() => decryptOriginal(receivingSk, capsule, ciphertext, options))).toBe(
			"DecryptionFailedError",
		);
		const flipped = replaced(
			ciphertext,
			ciphertext.length - 1,
			Uint8Array.of(ciphertext.at(-1)! ^ 1),
		);
		expect(errorName(() => decryptOriginal(delegatingSk, capsule, flipped, options))).toBe(
			"DecryptionFailedError",
		);
		expect(
			errorName(() => decryptOriginal(delegatingSk, capsule, ciphertext.subarray(0, 39), options)),
		).toBe("DecryptionFailedError");
		const other = encrypt(delegatingPk, plaintext, options).capsule;
		expect(errorName(() => decryptOriginal(delegatingSk, other, ciphertext, options))).toBe(
			"DecryptionFailedError",
		);
		const set = [cfrags[0]!, cfrags[1]!];
		expect(
			errorName(() =>
				decryptReencrypted(receivingSk, delegatingPk, capsule, set, flipped, options),
			),
		).toBe("DecryptionFailedError");
	});
});

describe("strict parsing", () => {
	const fixtures = oracleFixtures();
	const capsule = hex(fixtures.encryption.capsule);
	const kfrag = hex(fixtures.kfrag_sets[0]!.kfrags[0]!);
	const cfrag = hex(fixtures.kfrag_sets[0]!.cfrags_from_first_threshold_kfrags[0]!.bytes);
	const signature = hex(fixtures.signature.sig_be);
	const parsers: [string, Uint8Array, (bytes: Uint8Array) => unknown][] = [
		["Capsule", capsule, (b) => Capsule.fromBytes(b)],
		["KeyFrag", kfrag, (b) => KeyFrag.fromBytes(b)],
		["CapsuleFrag", cfrag, (b) => CapsuleFrag.fromBytes(b)],
		["PublicKey", hex(fixtures.keys.delegating_pk), (b) => PublicKey.fromBytes(b)],
		["SecretKey", hex(fixtures.keys.delegating_sk), (b) => SecretKey.fromBytes(b)],
		["Signature", signature, (b) => Signature.fromBytes(b)],
	];
	const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

	it.each(parsers)(
		"%s: accepts the canonical form, refuses trailing and missing bytes",
		(_n, bytes, parse) => {
			expect(() => parse(bytes)).not.toThrow();
			expect(errorName(() => parse(concat(bytes, Uint8Array.of(0))))).toBe("UmbralFormatError");
			expect(errorName(() => parse(bytes.subarray(0, bytes.length - 1)))).toBe("UmbralFormatError");
			expect(errorName(() => parse(new Uint8Array(0)))).toBe("UmbralFormatError");
		},
	);

	it("refuses bin16 fields, other array headers and non-boolean flags", () => {
		// The same capsule with E written as bin16 (c5 00 21) is 106 bytes: refused.
		const bin16 = concat(
			capsule.subarray(0, 1),
			Uint8Array.of(0xc5, 0x00, 0x21),
			capsule.subarray(3),
		);
		expect(errorName(() => Capsule.fromBytes(bin16))).toBe("UmbralFormatError");
		expect(errorName(() => Capsule.fromBytes(replaced(capsule, 0, Uint8Array.of(0x94))))).toBe(
			"UmbralFormatError",
		);
		expect(errorName(() => Capsule.fromBytes(replaced(capsule, 1, Uint8Array.of(0xc5))))).toBe(
			"UmbralFormatError",
		);
		expect(errorName(() => KeyFrag.fromBytes(replaced(kfrag, 308, Uint8Array.of(0x01))))).toBe(
			"UmbralFormatError",
		);
		expect(errorName(() => CapsuleFrag.fromBytes(replaced(cfrag, 140, Uint8Array.of(0x95))))).toBe(
			"UmbralFormatError",
		);
	});

	it.each(backends)(
		"refuses uncompressed, identity, off-curve and out-of-field points (%s)",
		(_n, backend) => {
			const options = { backend };
			const pk = hex(fixtures.keys.delegating_pk);
			expect(PublicKey.fromBytes(pk, options).toBytes()).toEqual(pk);
			const refused = (parse: () => unknown) => expect(errorName(parse)).toBe("UmbralFormatError");
			refused(() => PublicKey.fromBytes(G.toBytes(false), options));
			refused(() => PublicKey.fromBytes(new Uint8Array(33), options));
			refused(() => PublicKey.fromBytes(replaced(pk, 0, Uint8Array.of(0x04)), options));
			// x = 2^256 − 1 ≥ p, and x = 5 (off the curve: 5³ + 7 is not a square mod p).
			const big = concat(Uint8Array.of(2), new Uint8Array(32).fill(0xff));
			refused(() => PublicKey.fromBytes(big, options));
			const offCurve = concat(Uint8Array.of(2), scalarToBytes(5n));
			refused(() => PublicKey.fromBytes(offCurve, options));
			// Inside objects: the capsule's E, the kfrag's C, the cfrag's U2.
			refused(() => Capsule.fromBytes(replaced(capsule, 3, offCurve), options));
			refused(() => KeyFrag.fromBytes(replaced(kfrag, 143, new Uint8Array(33)), options));
			refused(() => CapsuleFrag.fromBytes(replaced(cfrag, 248, big), options));
			refused(() => CapsuleFrag.fromBytes(replaced(cfrag, 3, offCurve), options));
		},
	);

	it("refuses scalars ≥ n and the zero secret key", () => {
		const n = scalarToBytes(CURVE_ORDER - 1n).map((b, i) => (i === 31 ? b + 1 : b));
		expect(errorName(() => SecretKey.fromBytes(n))).toBe("UmbralFormatError");
		expect(errorName(() => SecretKey.fromBytes(new Uint8Array(32)))).toBe("UmbralFormatError");
		expect(errorName(() => Capsule.fromBytes(replaced(capsule, 73, n)))).toBe("UmbralFormatError");
		expect(errorName(() => KeyFrag.fromBytes(replaced(kfrag, 73, n)))).toBe("UmbralFormatError");
		expect(errorName(() => CapsuleFrag.fromBytes(replaced(cfrag, 283, n)))).toBe(
			"UmbralFormatError",
		);
		expect(errorName(() => SecretKeyFactory.fromSecureRandomness(new Uint8Array(31)))).toBe(
			"UmbralFormatError",
		);
	});

	it("refuses high-S and zero signatures, alone and inside fragments", () => {
		const s = BigInt(`0x${fixtures.signature.sig_be.slice(64)}`);
		const highS = replaced(signature, 32, scalarToBytes(CURVE_ORDER - s));
		expect(errorName(() => Signature.fromBytes(highS))).toBe("UmbralFormatError");
		expect(errorName(() => Signature.fromBytes(new Uint8Array(64)))).toBe("UmbralFormatError");
		const kfragS = BigInt(`0x${Buffer.from(kfrag.subarray(210, 242)).toString("hex")}`);
		expect(
			errorName(() => KeyFrag.fromBytes(replaced(kfrag, 210, scalarToBytes(CURVE_ORDER - kfragS)))),
		).toBe("UmbralFormatError");
		const cfragS = BigInt(`0x${Buffer.from(cfrag.subarray(349, 381)).toString("hex")}`);
		expect(
			errorName(() =>
				CapsuleFrag.fromBytes(replaced(cfrag, 349, scalarToBytes(CURVE_ORDER - cfragS))),
			),
		).toBe("UmbralFormatError");
	});
});

describe("parameters", () => {
	const delegatingSk = SecretKey.random();
	const receivingPk = SecretKey.random().publicKey();
	const signer = new Signer(SecretKey.random());
	const share = (threshold: number, shares: number) =>
		generateKFrags({
			delegatingSk,
			receivingPk,
			signer,
			threshold,
			shares,
			signDelegatingKey: false,
			signReceivingKey: false,
		});

	it("enforces 1 ≤ threshold ≤ shares ≤ 256 with integers", () => {
		expect(share(1, 1)).toHaveLength(1);
		for (const [t, n] of [
			[0, 3],
			[4, 3],
			[1, 0],
			[-1, 3],
			[1.5, 3],
			[2, 257],
			[Number.NaN, 3],
		] as const) {
			expect(errorName(() => share(t, n))).toBe("UmbralParameterError");
		}
	});

	it("refuses a backend without the required methods", () => {
		const pk = SecretKey.random().publicKey();
		const backend = { name: "broken" } as never;
		expect(errorName(() => encrypt(pk, utf8("x"), { backend }))).toBe("UmbralParameterError");
	});

	it("verified fragments cannot be made except by generation, re-encryption or verification", () => {
		const kfrag = share(1, 1)[0]!;
		const Ctor = VerifiedKeyFrag as unknown as new (token: symbol, kfrag: KeyFrag) => unknown;
		expect(() => new Ctor(Symbol("verified key fragment"), kfrag.unverify())).toThrow(TypeError);
		expect(() =>
			reencrypt(
				Capsule.fromBytes(hex(oracleFixtures().encryption.capsule)),
				kfrag.unverify() as never,
			),
		).toThrow(TypeError);
	});

	it("refuses secret scalars outside [1, n) and identity public keys at the internal constructors", () => {
		expect(errorName(() => SecretKey.fromScalar(0n))).toBe("UmbralFormatError");
		expect(errorName(() => SecretKey.fromScalar(CURVE_ORDER))).toBe("UmbralFormatError");
		expect(errorName(() => PublicKey.fromPoint(G.subtract(G)))).toBe("UmbralFormatError");
	});

	it("never prints secret material", () => {
		const sk = SecretKey.fromBytes(scalarToBytes(0xdeadbeefn));
		expect(String(sk)).not.toContain("deadbeef");
		expect(JSON.stringify({ sk })).not.toContain("deadbeef");
		expect(String(share(1, 1)[0])).toBe("VerifiedKeyFrag:…");
	});
});
