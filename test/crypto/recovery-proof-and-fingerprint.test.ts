// The recovery-proof key (derived from the RecoveryKey, DESIGN §3 recovery kit) and a single
// identity's fingerprint: deterministic, bound to their inputs, and kept apart from other uses.
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import {
	deriveRecoveryProofKey,
	generateIdentityKeys,
	generateKey,
	identityFingerprint,
	importSecretKey,
	safetyNumber,
	sign,
	signingPublicKeyOf,
	signPublicIdentity,
	utf8,
	verifyPublicIdentity,
	verifySignature,
} from "../../crypto";

describe("recovery-proof key", () => {
	it("is HKDF-SHA256(RecoveryKey, info coffre/recovery-proof/v1) used as an Ed25519 seed", () => {
		const bytes = crypto.getRandomValues(new Uint8Array(32));
		const derived = deriveRecoveryProofKey(importSecretKey("RecoveryKey", bytes));
		const expected = hkdf(sha256, bytes, undefined, utf8("coffre/recovery-proof/v1"), 32);
		expect(derived.exportBytes()).toEqual(expected);
	});

	it("signs in its own context only", () => {
		const key = deriveRecoveryProofKey(generateKey("RecoveryKey"));
		const challenge = crypto.getRandomValues(new Uint8Array(32));
		const proof = sign(key, "recovery-proof", challenge);
		expect(verifySignature(signingPublicKeyOf(key), "recovery-proof", challenge, proof)).toBe(true);
		expect(verifySignature(signingPublicKeyOf(key), "manifest", challenge, proof)).toBe(false);
	});

	it("differs for different recovery keys", () => {
		const a = signingPublicKeyOf(deriveRecoveryProofKey(generateKey("RecoveryKey")));
		const b = signingPublicKeyOf(deriveRecoveryProofKey(generateKey("RecoveryKey")));
		expect(a).not.toEqual(b);
	});
});

describe("identity fingerprint", () => {
	const identity = (userId: string) =>
		verifyPublicIdentity(signPublicIdentity(generateIdentityKeys(), { userId, createdAt: 0 }));

	it("is six groups of five digits, one half of every safety number with that identity", () => {
		const mine = identity("11111111-1111-4111-8111-111111111111");
		const theirs = identity("22222222-2222-4222-8222-222222222222");
		const fingerprint = identityFingerprint(mine);
		expect(fingerprint).toHaveLength(6);
		for (const group of fingerprint) expect(group).toMatch(/^\d{5}$/);
		const number = safetyNumber(mine, theirs).join("");
		expect(number.startsWith(fingerprint.join("")) || number.endsWith(fingerprint.join(""))).toBe(
			true,
		);
	});

	it("changes when the keys change", () => {
		const userId = "33333333-3333-4333-8333-333333333333";
		expect(identityFingerprint(identity(userId))).not.toEqual(
			identityFingerprint(identity(userId)),
		);
	});
});
