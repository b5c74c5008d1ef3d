// Interoperability with the reference implementation (@nucypher/umbral-pre 0.10.0, WASM) in
// both directions, per curve backend and threshold: each side parses the other's capsules,
// key fragments and capsule fragments, verifies them and opens the result. Ids, nonces and
// signatures are random, so behaviour (verify + decrypt) is compared, not bytes.
import * as oracle from "@nucypher/umbral-pre";
import fc from "fast-check";
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
	Signer,
} from "../../../crypto/umbral";
import { backends } from "./fixtures";

const THRESHOLDS: [number, number][] = [
	[1, 1],
	[2, 3],
	[3, 5],
	[10, 16],
];
const ROUNDS = 3;

/** Frees WASM objects (some were already consumed by `verify`, which is fine). */
function free(...objects: { free(): void }[]): void {
	for (const object of objects) {
		try {
			object.free();
		} catch {
			// consumed by the oracle already
		}
	}
}

/** A random subset of `count` items (order shuffled too). */
function pick<T>(items: readonly T[], count: number): T[] {
	const copy = [...items];
	for (let i = copy.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
	}
	return copy.slice(0, count);
}

const randomFlags = () => ({ signA: Math.random() < 0.5, signB: Math.random() < 0.5 });
const randomPlaintext = () =>
	crypto.getRandomValues(new Uint8Array(1 + Math.floor(Math.random() * 200)));

describe.each(backends)(
	"interop with @nucypher/umbral-pre 0.10.0 (%s backend)",
	(_name, backend) => {
		const options = { backend };

		describe.each(THRESHOLDS)("%i-of-%i", (threshold, shares) => {
			it(`the oracle shares; Coffre verifies, re-encrypts and opens (${ROUNDS} rounds)`, () => {
				for (let round = 0; round < ROUNDS; round++) {
					const { signA, signB } = randomFlags();
					const plaintext = randomPlaintext();
					const skA = oracle.SecretKey.random();
					const skB = oracle.SecretKey.random();
					const signerSk = oracle.SecretKey.random();
					const pkA = skA.publicKey();
					const pkB = skB.publicKey();
					const signer = new oracle.Signer(signerSk);
					const vpk = signer.verifyingKey();
					const [oCapsule, ciphertext] = oracle.encrypt(pkA, plaintext);
					const oKFrags = oracle.generateKFrags(skA, pkB, signer, threshold, shares, signA, signB);

					const delegatingPk = PublicKey.fromBytes(pkA.toCompressedBytes());
					const receivingPk = PublicKey.fromBytes(pkB.toCompressedBytes());
					const verifyingPk = PublicKey.fromBytes(vpk.toCompressedBytes());
					const receivingSk = SecretKey.fromBytes(skB.toBEBytes());
					const capsule = Capsule.fromBytes(oCapsule.toBytes(), options);
					expect(
						decryptOriginal(SecretKey.fromBytes(skA.toBEBytes()), capsule, ciphertext, options),
					).toEqual(plaintext);

					// Coffre verifies the oracle's kfrags (only the signed keys are required).
					const kfrags = oKFrags.map((k) =>
						KeyFrag.fromBytes(k.toBytes()).verify(
							verifyingPk,
							signA ? delegatingPk : null,
							signB ? receivingPk : null,
							options,
						),
					);
					// Coffre re-encrypts; Coffre and the oracle both open.
					const cfrags = pick(kfrags, threshold).map((k) => reencrypt(capsule, k, options));
					expect(
						decryptReencrypted(receivingSk, delegatingPk, capsule, cfrags, ciphertext, options),
					).toEqual(plaintext);
					const oVerified = cfrags.map((c) =>
						oracle.CapsuleFrag.fromBytes(c.toBytes()).verify(oCapsule, vpk, pkA, pkB),
					);
					expect(oracle.decryptReencrypted(skB, pkA, oCapsule, oVerified, ciphertext)).toEqual(
						plaintext,
					);

					// The oracle re-encrypts; Coffre verifies and opens.
					const oCFrags = pick(oKFrags, threshold).map((k) => oracle.reencrypt(oCapsule, k));
					const verified = oCFrags.map((c) =>
						CapsuleFrag.fromBytes(c.toBytes()).verify(
							capsule,
							verifyingPk,
							delegatingPk,
							receivingPk,
							options,
						),
					);
					expect(
						decryptReencrypted(receivingSk, delegatingPk, capsule, verified, ciphertext, options),
					).toEqual(plaintext);

					free(
						skA,
						skB,
						signerSk,
						pkA,
						pkB,
						signer,
						vpk,
						oCapsule,
						...oKFrags,
						...oVerified,
						...oCFrags,
					);
				}
			});

			it(`Coffre shares; the oracle verifies, re-encrypts and opens (${ROUNDS} rounds)`, () => {
				for (let round = 0; round < ROUNDS; round++) {
					const { signA, signB } = randomFlags();
					const plaintext = randomPlaintext();
					const delegatingSk = SecretKey.random();
					const receivingSk = SecretKey.random();
					const signer = new Signer(SecretKey.random(), options);
					const delegatingPk = delegatingSk.publicKey(options);
					const receivingPk = receivingSk.publicKey(options);
					const verifyingPk = signer.verifyingKey();
					const { capsule, ciphertext } = encrypt(delegatingPk, plaintext, options);
					const kfrags = generateKFrags(
						{
							delegatingSk,
							receivingPk,
							signer,
							threshold,
							shares,
							signDelegatingKey: signA,
							signReceivingKey: signB,
						},
						options,
					);

					const skA = oracle.SecretKey.fromBEBytes(delegatingSk.toBytes());
					const skB = oracle.SecretKey.fromBEBytes(receivingSk.toBytes());
					const pkA = oracle.PublicKey.fromCompressedBytes(delegatingPk.toBytes());
					const pkB = oracle.PublicKey.fromCompressedBytes(receivingPk.toBytes());
					const vpk = oracle.PublicKey.fromCompressedBytes(verifyingPk.toBytes());
					const oCapsule = oracle.Capsule.fromBytes(capsule.toBytes());
					expect(oracle.decryptOriginal(skA, oCapsule, ciphertext)).toEqual(plaintext);

					// The oracle verifies Coffre's kfrags and re-encrypts; Coffre verifies and opens.
					const oKFrags = pick(kfrags, threshold).map((k) =>
						oracle.KeyFrag.fromBytes(k.toBytes()).verify(
							vpk,
							signA ? pkA : null,
							signB ? pkB : null,
						),
					);
					const oCFrags = oKFrags.map((k) => oracle.reencrypt(oCapsule, k));
					const verified = oCFrags.map((c) =>
						CapsuleFrag.fromBytes(c.toBytes()).verify(
							capsule,
							verifyingPk,
							delegatingPk,
							receivingPk,
							options,
						),
					);
					expect(
						decryptReencrypted(receivingSk, delegatingPk, capsule, verified, ciphertext, options),
					).toEqual(plaintext);

					// Coffre re-encrypts; the oracle verifies and opens.
					const cfrags = pick(kfrags, threshold).map((k) => reencrypt(capsule, k, options));
					const oVerified = cfrags.map((c) =>
						oracle.CapsuleFrag.fromBytes(c.toBytes()).verify(oCapsule, vpk, pkA, pkB),
					);
					expect(oracle.decryptReencrypted(skB, pkA, oCapsule, oVerified, ciphertext)).toEqual(
						plaintext,
					);

					free(skA, skB, pkA, pkB, vpk, oCapsule, ...oKFrags, ...oCFrags, ...oVerified);
				}
			});
		});

		it("SecretKeyFactory derives the oracle's keys for random seeds and labels", () => {
			fc.assert(
				fc.property(
					fc.uint8Array({ minLength: 32, maxLength: 32 }),
					fc.uint8Array({ maxLength: 64 }),
					(seed, label) => {
						const ours = SecretKeyFactory.fromSecureRandomness(seed);
						const theirs = oracle.SecretKeyFactory.fromSecureRandomness(seed);
						const key = theirs.makeKey(label);
						expect(ours.makeKey(label).toBytes()).toEqual(key.toBEBytes());
						expect(ours.makeSecret(label)).toEqual(theirs.makeSecret(label));
						free(key, theirs);
					},
				),
				{ numRuns: 20 },
			);
		});
	},
);
