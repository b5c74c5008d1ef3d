// Umbral against published and oracle-made vectors (../shared/vectors/umbral, PROVENANCE.md):
// the pyUmbral point, scalar, KDF and kfrag-signature vectors that still hold for the 0.10
// format, and the @nucypher/umbral-pre 0.10.0 fixtures parsed, re-encoded byte for byte,
// verified and decrypted — with each curve backend.
import { describe, expect, it } from "vitest";
import {
	Capsule,
	CapsuleFrag,
	decryptOriginal,
	decryptReencrypted,
	KeyFrag,
	PublicKey,
	reencrypt,
	SecretKey,
	SecretKeyFactory,
	Signature,
	Signer,
} from "../../../crypto/umbral";
import { Fn, pointFromBytes, pointToBytes, U } from "../../../crypto/umbral/curve";
import { mul, mulPublic } from "../../../crypto/umbral/curve-backend";
import { demKey } from "../../../crypto/umbral/dem";
import { backends, hex, oracleFixtures, readUmbralVectors, toHex, utf8 } from "./fixtures";

interface PointVectors {
	"first CurvePoint operand": string;
	"second CurvePoint operand": string;
	"CurveScalar operand": string;
	vectors: { operation: string; result: string }[];
}
interface ScalarVectors {
	"first operand": string;
	"second operand": string;
	vectors: { operation: string; result: string }[];
}
interface KFragVectors {
	verifying_pk: string;
	delegating_pk: string;
	receiving_pk: string;
	vectors: { kfrag: string }[];
}

const result = (vectors: { operation: string; result: string }[], operation: string) =>
	vectors.find((v) => v.operation === operation)?.result as string;

const fixtures = oracleFixtures();
const plaintext = utf8(fixtures.encryption.plaintext_utf8);
const keys = {
	delegatingSk: SecretKey.fromBytes(hex(fixtures.keys.delegating_sk)),
	delegatingPk: PublicKey.fromBytes(hex(fixtures.keys.delegating_pk)),
	receivingSk: SecretKey.fromBytes(hex(fixtures.keys.receiving_sk)),
	receivingPk: PublicKey.fromBytes(hex(fixtures.keys.receiving_pk)),
	signerSk: SecretKey.fromBytes(hex(fixtures.keys.signer_sk)),
	verifyingPk: PublicKey.fromBytes(hex(fixtures.keys.verifying_pk)),
};

describe("parameter U", () => {
	it("is RFC 9380 hash_to_curve(POINT_U, DST PARAMETERS), the spec value", () => {
		expect(toHex(pointToBytes(U))).toBe(
			"03079390d0fbe220fc34aab8ecbf49098098036820fadb98c03143e55db8ec73cd",
		);
		expect(toHex(U.toBytes(false))).toBe(fixtures.parameters.u_uncompressed);
	});
});

describe("pyUmbral scalar vectors", () => {
	const v = readUmbralVectors<ScalarVectors>("vectors_scalar_operations.json");
	const a = BigInt(`0x${v["first operand"]}`);
	const b = BigInt(`0x${v["second operand"]}`);
	const asHex = (x: bigint) => x.toString(16).padStart(64, "0");
	it("adds, subtracts, multiplies and inverts modulo n", () => {
		expect(asHex(Fn.add(a, b))).toBe(result(v.vectors, "Addition"));
		expect(asHex(Fn.sub(a, b))).toBe(result(v.vectors, "Subtraction"));
		expect(asHex(Fn.mul(a, b))).toBe(result(v.vectors, "Multiplication"));
		expect(asHex(Fn.inv(a))).toBe(result(v.vectors, "Inverse"));
	});
});

describe.each(backends)("pyUmbral point vectors (%s backend)", (_name, backend) => {
	const v = readUmbralVectors<PointVectors>("vectors_point_operations.json");
	const p1 = pointFromBytes(hex(v["first CurvePoint operand"]));
	const p2 = pointFromBytes(hex(v["second CurvePoint operand"]));
	const k = BigInt(`0x${v["CurveScalar operand"]}`);
	it("adds, subtracts, negates and gives affine coordinates", () => {
		expect(toHex(pointToBytes(p1.add(p2)))).toBe(result(v.vectors, "Addition"));
		expect(toHex(pointToBytes(p1.subtract(p2)))).toBe(result(v.vectors, "Subtraction"));
		expect(toHex(pointToBytes(p1.negate()))).toBe(result(v.vectors, "Inversion"));
		expect(p1.toAffine().x.toString(16).padStart(64, "0")).toBe(result(v.vectors, "To_affine.X"));
		expect(p1.toAffine().y.toString(16).padStart(64, "0")).toBe(result(v.vectors, "To_affine.Y"));
	});
	it("multiplies by secret and by public scalars", () => {
		expect(toHex(pointToBytes(mul(backend, p1, k)))).toBe(result(v.vectors, "Multiplication"));
		expect(toHex(pointToBytes(mulPublic(backend, p1, k)))).toBe(
			result(v.vectors, "Multiplication"),
		);
	});
	it("derives the DEM key as HKDF-SHA256 without salt or info (the kdf entry)", () => {
		expect(toHex(demKey(pointToBytes(p1)))).toBe(result(v.vectors, "kdf"));
	});
});

describe.each(backends)("pyUmbral kfrag signatures (%s backend)", (_name, backend) => {
	const v = readUmbralVectors<KFragVectors>("vectors_kfrags.json");
	const verifyingPk = PublicKey.fromBytes(hex(v.verifying_pk));
	const a = hex(v.delegating_pk);
	const b = hex(v.receiving_pk);
	// pyUmbral 0.3 layout: id 32 ‖ rk 32 ‖ X 33 ‖ C 33 ‖ sigProxy 64 ‖ sigReceiver 64 ‖ flags 2.
	it.each(v.vectors.map((vector, i) => [i, vector.kfrag]))(
		"vector %i: both signatures verify over id ‖ C ‖ X ‖ keys",
		(_i, kfragHex) => {
			const kfrag = hex(kfragHex as string);
			const id = kfrag.subarray(0, 32);
			const x = kfrag.subarray(64, 97);
			const c = kfrag.subarray(97, 130);
			const message = (signA: boolean, signB: boolean) =>
				Uint8Array.from([
					...id,
					...c,
					...x,
					...(signA ? [1, ...a] : [0]),
					...(signB ? [1, ...b] : [0]),
				]);
			const sigProxy = Signature.fromBytes(kfrag.subarray(130, 194));
			const sigReceiver = Signature.fromBytes(kfrag.subarray(194, 258));
			const options = { backend };
			expect(
				sigProxy.verify(verifyingPk, message(kfrag[258] === 1, kfrag[259] === 1), options),
			).toBe(true);
			expect(sigReceiver.verify(verifyingPk, message(true, true), options)).toBe(true);
			expect(sigReceiver.verify(verifyingPk, message(false, true), options)).toBe(false);
		},
	);
});

describe("umbral-pre 0.10.0 keys, factory and signature fixtures", () => {
	it("derives the fixture public keys from the secret keys and re-encodes both", () => {
		expect(toHex(keys.delegatingSk.publicKey().toBytes())).toBe(fixtures.keys.delegating_pk);
		expect(toHex(keys.receivingSk.publicKey().toBytes())).toBe(fixtures.keys.receiving_pk);
		expect(toHex(keys.signerSk.publicKey().toBytes())).toBe(fixtures.keys.verifying_pk);
		expect(toHex(keys.delegatingSk.toBytes())).toBe(fixtures.keys.delegating_sk);
	});
	it.each(fixtures.secret_key_factory.map((f) => [f.label, f]))(
		"SecretKeyFactory label %j: makeKey, makeSecret, makeFactory match the oracle",
		(_label, f) => {
			const factory = SecretKeyFactory.fromSecureRandomness(hex(f.seed));
			const label = utf8(f.label);
			const sk = factory.makeKey(label);
			expect(toHex(sk.toBytes())).toBe(f.make_key_be);
			expect(toHex(sk.publicKey().toBytes())).toBe(f.make_key_pk);
			expect(toHex(factory.makeSecret(label))).toBe(f.make_secret);
			expect(toHex(factory.makeFactory(label).makeKey(utf8("k")).toBytes())).toBe(
				f.make_factory_then_make_key_k,
			);
		},
	);
	it.each(backends)("verifies the oracle's signature and its own (%s)", (_name, backend) => {
		const message = utf8(fixtures.signature.message_utf8);
		const signature = Signature.fromBytes(hex(fixtures.signature.sig_be));
		expect(toHex(signature.toBytes())).toBe(fixtures.signature.sig_be);
		expect(signature.verify(keys.verifyingPk, message, { backend })).toBe(true);
		const own = new Signer(keys.signerSk, { backend }).sign(message);
		expect(own.verify(keys.verifyingPk, message, { backend })).toBe(true);
		expect(own.verify(keys.verifyingPk, utf8("another message"), { backend })).toBe(false);
	});
});

describe.each(backends)(
	"umbral-pre 0.10.0 capsule and fragment fixtures (%s backend)",
	(_name, backend) => {
		const options = { backend };
		const capsule = Capsule.fromBytes(hex(fixtures.encryption.capsule), options);
		const ciphertext = hex(fixtures.encryption.ciphertext);

		it("parses the capsule, re-encodes it byte for byte and opens it as the owner", () => {
			expect(toHex(capsule.toBytes())).toBe(fixtures.encryption.capsule);
			expect(toHex(capsule.toBytesSimple())).toBe(fixtures.encryption.capsule_simple);
			expect(decryptOriginal(keys.delegatingSk, capsule, ciphertext, options)).toEqual(plaintext);
		});

		it.each(fixtures.kfrag_sets.map((set) => [`${set.threshold}-of-${set.shares}`, set]))(
			"kfrag set %s: every kfrag and cfrag re-encodes, verifies and decrypts",
			(_label, set) => {
				const kfrags = set.kfrags.map((bytes) => {
					const kfrag = KeyFrag.fromBytes(hex(bytes));
					expect(toHex(kfrag.toBytes())).toBe(bytes);
					expect(kfrag.signDelegatingKey).toBe(set.sign_delegating_key);
					expect(kfrag.signReceivingKey).toBe(set.sign_receiving_key);
					return kfrag.verify(keys.verifyingPk, keys.delegatingPk, keys.receivingPk, options);
				});
				const cfrags = set.cfrags_from_first_threshold_kfrags.map(({ bytes, simple }) => {
					const cfrag = CapsuleFrag.fromBytes(hex(bytes));
					expect(toHex(cfrag.toBytes())).toBe(bytes);
					expect(simple.length).toBeGreaterThan(0);
					return cfrag.verify(
						capsule,
						keys.verifyingPk,
						keys.delegatingPk,
						keys.receivingPk,
						options,
					);
				});
				expect(
					decryptReencrypted(
						keys.receivingSk,
						keys.delegatingPk,
						capsule,
						cfrags,
						ciphertext,
						options,
					),
				).toEqual(plaintext);
				// Our own re-encryption of the oracle's kfrags opens too.
				const own = kfrags
					.slice(0, set.threshold)
					.map((kfrag) => reencrypt(capsule, kfrag, options));
				expect(
					decryptReencrypted(
						keys.receivingSk,
						keys.delegatingPk,
						capsule,
						own,
						ciphertext,
						options,
					),
				).toEqual(plaintext);
			},
		);
	},
);
