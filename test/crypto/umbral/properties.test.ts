// Property tests (fast-check) of Umbral round trips: encryption opens for any plaintext,
// any t-of-N share opens from any t of its fragments, serialized forms re-encode identically,
// and any single-byte change of a serialized capsule or capsule fragment is refused.
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
	Signer,
} from "../../../crypto/umbral";
import { wasmCurveBackend } from "../../../p2p/proxy/wasm-curve-backend";

const delegatingSk = SecretKey.random();
const receivingSk = SecretKey.random();
const signer = new Signer(SecretKey.random());
const delegatingPk = delegatingSk.publicKey();
const receivingPk = receivingSk.publicKey();
const verifyingPk = signer.verifyingKey();
const fast = { backend: wasmCurveBackend };

describe("Umbral round-trip properties", () => {
	it("decryptOriginal(encrypt(m)) = m, for any plaintext", () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 2048 }), (plaintext) => {
				const { capsule, ciphertext } = encrypt(delegatingPk, plaintext);
				expect(ciphertext.length).toBe(plaintext.length + 40);
				expect(decryptOriginal(delegatingSk, capsule, ciphertext)).toEqual(plaintext);
			}),
			{ numRuns: 15 },
		);
	});

	it("any t of the N fragments open, in any order, and serialized forms re-encode identically", () => {
		const shareArb = fc.integer({ min: 1, max: 6 }).chain((shares) =>
			fc.record({
				shares: fc.constant(shares),
				threshold: fc.integer({ min: 1, max: shares }),
				order: fc.shuffledSubarray([...Array(shares).keys()], {
					minLength: shares,
					maxLength: shares,
				}),
				signDelegatingKey: fc.boolean(),
				signReceivingKey: fc.boolean(),
				plaintext: fc.uint8Array({ maxLength: 256 }),
			}),
		);
		fc.assert(
			fc.property(
				shareArb,
				({ shares, threshold, order, signDelegatingKey, signReceivingKey, plaintext }) => {
					const { capsule, ciphertext } = encrypt(delegatingPk, plaintext, fast);
					const kfrags = generateKFrags(
						{
							delegatingSk,
							receivingPk,
							signer,
							threshold,
							shares,
							signDelegatingKey,
							signReceivingKey,
						},
						fast,
					);
					const chosen = order.slice(0, threshold).map((i) => kfrags[i]!);
					const cfrags = chosen.map((kfrag) => {
						const bytes = kfrag.toBytes();
						expect(KeyFrag.fromBytes(bytes).toBytes()).toEqual(bytes);
						const verified = KeyFrag.fromBytes(bytes).verify(
							verifyingPk,
							delegatingPk,
							receivingPk,
							fast,
						);
						const cfragBytes = reencrypt(capsule, verified, fast).toBytes();
						expect(CapsuleFrag.fromBytes(cfragBytes).toBytes()).toEqual(cfragBytes);
						return CapsuleFrag.fromBytes(cfragBytes).verify(
							capsule,
							verifyingPk,
							delegatingPk,
							receivingPk,
							fast,
						);
					});
					expect(Capsule.fromBytes(capsule.toBytes(), fast).toBytes()).toEqual(capsule.toBytes());
					expect(PublicKey.fromBytes(delegatingPk.toBytes()).equals(delegatingPk)).toBe(true);
					expect(
						decryptReencrypted(receivingSk, delegatingPk, capsule, cfrags, ciphertext, fast),
					).toEqual(plaintext);
				},
			),
			{ numRuns: 15 },
		);
	});

	describe("any single-byte change is refused", () => {
		const { capsule } = encrypt(delegatingPk, new Uint8Array(1), fast);
		const [kfrag] = generateKFrags(
			{
				delegatingSk,
				receivingPk,
				signer,
				threshold: 1,
				shares: 1,
				signDelegatingKey: true,
				signReceivingKey: true,
			},
			fast,
		);
		const cfrag = reencrypt(capsule, kfrag!, fast).toBytes();
		const change = (bytes: Uint8Array) =>
			fc.record({
				index: fc.integer({ min: 0, max: bytes.length - 1 }),
				mask: fc.integer({ min: 1, max: 255 }),
			});
		const flip = (bytes: Uint8Array, index: number, mask: number) => {
			const out = Uint8Array.from(bytes);
			out[index] = (out[index] as number) ^ mask;
			return out;
		};

		it("in a capsule", () => {
			const bytes = capsule.toBytes();
			fc.assert(
				fc.property(change(bytes), ({ index, mask }) => {
					expect(() => Capsule.fromBytes(flip(bytes, index, mask), fast)).toThrow(/capsule/);
				}),
				{ numRuns: 60 },
			);
		});

		it("in a capsule fragment", () => {
			fc.assert(
				fc.property(change(cfrag), ({ index, mask }) => {
					expect(() =>
						CapsuleFrag.fromBytes(flip(cfrag, index, mask)).verify(
							capsule,
							verifyingPk,
							delegatingPk,
							receivingPk,
							fast,
						),
					).toThrow(/capsule fragment|signature/);
				}),
				{ numRuns: 60 },
			);
		});

		it("in a key fragment outside its receiver signature", () => {
			const bytes = kfrag!.toBytes();
			fc.assert(
				fc.property(change(bytes.subarray(0, 242)), ({ index, mask }) => {
					expect(() =>
						KeyFrag.fromBytes(flip(bytes, index, mask)).verify(
							verifyingPk,
							delegatingPk,
							receivingPk,
							fast,
						),
					).toThrow(/key fragment|signature/);
				}),
				{ numRuns: 60 },
			);
		});
	});
});
