// Identities and signatures: domain-separated Ed25519, the canonical self-signed PublicIdentity
// (every flipped byte refused), and safety numbers that are stable, order-independent and change
// when a key changes.
import { describe, expect, it } from "vitest";
import type { PublicIdentity, SigningPublicKey } from "../../crypto/index";
import {
	assertSignature,
	generateIdentityKeys,
	identityKeysFromSecrets,
	importSecretKey,
	safetyNumber,
	sign,
	signingPublicKeyFromBytes,
	signPublicIdentity,
	verifyPublicIdentity,
	verifySignature,
} from "../../crypto/index";

function errorName(run: () => unknown): string | undefined {
	try {
		run();
	} catch (error) {
		return (error as Error).name;
	}
	return undefined;
}

describe("signatures", () => {
	const keys = generateIdentityKeys();
	const message = new TextEncoder().encode("manifest bytes");

	it("verify for the same context and message only", () => {
		const signature = sign(keys.signing, "manifest", message);
		expect(verifySignature(keys.signingPublicKey, "manifest", message, signature)).toBe(true);
		expect(verifySignature(keys.signingPublicKey, "share-policy", message, signature)).toBe(false);
		expect(
			verifySignature(
				keys.signingPublicKey,
				"manifest",
				new Uint8Array([...message, 0]),
				signature,
			),
		).toBe(false);
		expect(
			verifySignature(generateIdentityKeys().signingPublicKey, "manifest", message, signature),
		).toBe(false);
		expect(verifySignature(keys.signingPublicKey, "manifest", message, signature.subarray(1))).toBe(
			false,
		);
		expect(
			errorName(() => assertSignature(keys.signingPublicKey, "share-policy", message, signature)),
		).toBe("SignatureError");
	});

	it("verify strictly (RFC 8032, not ZIP-215): small-order keys and non-canonical encodings are refused", () => {
		const identityPoint = new Uint8Array(32);
		identityPoint[0] = 1;
		const universal = new Uint8Array(64);
		universal.set(identityPoint, 0); // R = identity, S = 0: "valid" for every message under ZIP-215
		expect(errorName(() => signingPublicKeyFromBytes(identityPoint))).toBe("InvalidKeyError");
		const rawKey = identityPoint as SigningPublicKey;
		expect(verifySignature(rawKey, "manifest", message, universal)).toBe(false);
		// R = the identity encoded non-canonically (y = p + 1).
		const nonCanonical = Uint8Array.from(universal);
		nonCanonical.set(
			Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xee : i === 31 ? 0x7f : 0xff)),
			0,
		);
		expect(verifySignature(rawKey, "manifest", message, nonCanonical)).toBe(false);
	});

	it("refuse an unknown context", () => {
		expect(errorName(() => sign(keys.signing, "anything" as never, message))).toBe("FormatError");
	});
});

describe("public identity", () => {
	const keys = generateIdentityKeys();
	const createdAt = Date.UTC(2026, 10, 25, 9, 0, 0);
	const signed = signPublicIdentity(keys, { userId: "user-1", createdAt });

	it("round-trips through its canonical encoding with the documented layout", () => {
		const identity = verifyPublicIdentity(signed);
		expect(identity).toEqual({
			userId: "user-1",
			signingPublicKey: keys.signingPublicKey,
			encryptionPublicKey: keys.encryptionPublicKey,
			createdAt,
		});
		const L = "user-1".length;
		expect(signed.length).toBe(1 + 1 + L + 32 + 33 + 8 + 64);
		expect(signed[0]).toBe(1);
		expect(signed[1]).toBe(L);
		expect(signed.subarray(2 + L, 34 + L)).toEqual(keys.signingPublicKey);
		expect(signed.subarray(34 + L, 67 + L)).toEqual(keys.encryptionPublicKey);
		expect(new DataView(signed.buffer).getBigUint64(67 + L)).toBe(BigInt(createdAt));
		expect(
			verifySignature(
				keys.signingPublicKey,
				"public-identity",
				signed.subarray(0, 75 + L),
				signed.subarray(75 + L),
			),
		).toBe(true);
	});

	it("refuses every flipped byte of every field with that field's typed error", () => {
		const L = "user-1".length;
		const allowed = (i: number): string[] => {
			if (i === 0) return ["UnsupportedVersionError"];
			if (i === 1) return ["FormatError", "InvalidKeyError"]; // user id length shifts the fields
			if (i < 2 + L) return ["SignatureError", "FormatError"]; // user id (0x80 makes invalid UTF-8)
			if (i < 67 + L) return ["SignatureError", "InvalidKeyError"]; // the two public keys
			if (i < 75 + L) return ["SignatureError", "FormatError"]; // created-at (above 2^53 is a format error)
			return ["SignatureError"]; // signature
		};
		for (let i = 0; i < signed.length; i++) {
			for (const bit of [0x01, 0x80]) {
				const tampered = Uint8Array.from(signed);
				tampered[i] = (tampered[i] as number) ^ bit;
				const name = errorName(() => verifyPublicIdentity(tampered));
				expect(allowed(i), `byte ${i}: ${name}`).toContain(name);
			}
		}
	});

	it("refuses trailing bytes, truncation and a signature by another key", () => {
		expect(errorName(() => verifyPublicIdentity(new Uint8Array([...signed, 0])))).toBe(
			"FormatError",
		);
		expect(errorName(() => verifyPublicIdentity(signed.subarray(0, signed.length - 1)))).toBe(
			"FormatError",
		);
		const other = generateIdentityKeys();
		const forged = identityKeysFromSecrets(other.signing, keys.encryption);
		const swapped = Uint8Array.from(signPublicIdentity(forged, { userId: "user-1", createdAt }));
		swapped.set(keys.signingPublicKey, 2 + 6);
		expect(errorName(() => verifyPublicIdentity(swapped))).toBe("SignatureError");
	});
});

describe("safety numbers", () => {
	const alice: PublicIdentity = verifyPublicIdentity(
		signPublicIdentity(
			identityKeysFromSecrets(
				importSecretKey("SigningSecretKey", new Uint8Array(32).fill(1)),
				importSecretKey("EncryptionSecretKey", new Uint8Array(32).fill(2)),
			),
			{ userId: "alice", createdAt: 0 },
		),
	);
	const bob: PublicIdentity = verifyPublicIdentity(
		signPublicIdentity(
			identityKeysFromSecrets(
				importSecretKey("SigningSecretKey", new Uint8Array(32).fill(3)),
				importSecretKey("EncryptionSecretKey", new Uint8Array(32).fill(4)),
			),
			{ userId: "bob", createdAt: 0 },
		),
	);

	it("is 60 digits in 12 groups of 5, the same from both sides", () => {
		const number = safetyNumber(alice, bob);
		expect(number).toHaveLength(12);
		for (const group of number) expect(group).toMatch(/^\d{5}$/);
		expect(safetyNumber(bob, alice)).toEqual(number);
	});

	it("is stable across releases (pinned value for fixed keys)", () => {
		expect(safetyNumber(alice, bob).join(" ")).toMatchInlineSnapshot(
			`"50974 89316 79073 88988 95362 98852 91637 11285 72753 08941 95547 17053"`,
		);
	});

	it("changes when either key or the user id changes", () => {
		const number = safetyNumber(alice, bob).join("");
		const mallory = { ...bob, encryptionPublicKey: alice.encryptionPublicKey };
		const renamed = { ...bob, userId: "bob2" };
		const newSigning = { ...bob, signingPublicKey: alice.signingPublicKey };
		for (const changed of [mallory, renamed, newSigning]) {
			expect(safetyNumber(alice, changed).join("")).not.toBe(number);
		}
		// createdAt is not part of the number: re-publishing the same keys keeps it.
		expect(safetyNumber(alice, { ...bob, createdAt: 5 }).join("")).toBe(number);
	});
});
