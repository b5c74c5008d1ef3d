// Branded keys and key derivation: lengths are checked, secrets never show up in strings, JSON,
// inspection or error messages, one key kind cannot stand in for another (checked by tsc through
// the @ts-expect-error lines), and the KDFs follow DESIGN §3 exactly.
import { inspect } from "node:util";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import type { AccountKey, ContentKey, NodeKey, VaultKey } from "../../crypto/index";
import {
	deriveContentKey,
	derivePasskeyKey,
	encryptionPublicKeyFromBytes,
	encryptionPublicKeyOf,
	generateKey,
	generateSecp256k1Key,
	importSecretKey,
	signingPublicKeyFromBytes,
	unwrapNodeKey,
	wrapAccountKey,
	wrapNodeKey,
} from "../../crypto/index";

const hexOf = (key: { exportBytes(): Uint8Array }) => bytesToHex(key.exportBytes());

describe("branded secret keys", () => {
	it("accept exactly 32 bytes and refuse other lengths with InvalidKeyError", () => {
		expect(importSecretKey("AccountKey", new Uint8Array(32)).kind).toBe("AccountKey");
		for (const length of [0, 16, 31, 33, 64]) {
			expect(() => importSecretKey("NodeKey", new Uint8Array(length))).toThrowError(
				expect.objectContaining({ name: "InvalidKeyError" }),
			);
		}
	});

	it("refuse a secp256k1 ShareKey that is zero or not below the group order", () => {
		expect(() => importSecretKey("ShareKey", new Uint8Array(32))).toThrowError(
			expect.objectContaining({ name: "InvalidKeyError" }),
		);
		expect(() => importSecretKey("ShareKey", new Uint8Array(32).fill(0xff))).toThrowError(
			expect.objectContaining({ name: "InvalidKeyError" }),
		);
		expect(generateSecp256k1Key("ShareKey").kind).toBe("ShareKey");
	});

	it("generate distinct random keys", () => {
		expect(hexOf(generateKey("NodeKey"))).not.toBe(hexOf(generateKey("NodeKey")));
	});

	it("never reveal their bytes through toString, template strings, JSON or inspect", () => {
		const key = generateKey("AccountKey");
		const secretHex = hexOf(key);
		const shown = [
			String(key),
			`${key}`,
			JSON.stringify({ key }),
			inspect(key),
			inspect({ nested: { key } }, { depth: 5 }),
		];
		for (const text of shown) {
			expect(text).toContain("AccountKey");
			expect(text).not.toContain(secretHex);
			expect(text).not.toMatch(/\d+,\s*\d+,\s*\d+/); // no byte arrays either
		}
		expect(Object.keys(key)).toEqual(["kind"]);
	});

	it("keep a copy of the imported bytes, so the caller wiping its buffer does not change the key", () => {
		const bytes = new Uint8Array(32).fill(5);
		const key = importSecretKey("VaultKey", bytes);
		bytes.fill(0);
		expect(key.exportBytes()).toEqual(new Uint8Array(32).fill(5));
	});

	it("a wiped key can no longer be used", () => {
		const key = generateKey("NodeKey");
		key.wipe();
		expect(() => key.exportBytes()).toThrowError(
			expect.objectContaining({ name: "InvalidKeyError" }),
		);
		expect(() => deriveContentKey(key, "v")).toThrowError(
			expect.objectContaining({ name: "InvalidKeyError" }),
		);
	});

	it("one kind of key is not accepted where another is expected (checked by tsc)", () => {
		const accountKey: AccountKey = generateKey("AccountKey");
		const nodeKey: NodeKey = generateKey("NodeKey");
		const vaultKey: VaultKey = generateKey("VaultKey");
		// @ts-expect-error an AccountKey is not a NodeKey
		const notNode: NodeKey = accountKey;
		// @ts-expect-error a NodeKey is not a ContentKey
		const notContent: ContentKey = nodeKey;
		// @ts-expect-error wrapNodeKey wraps a NodeKey, not a VaultKey
		expect(() => wrapNodeKey(vaultKey, nodeKey, { nodeId: "n", parentId: "p" })).toBeDefined();
		// @ts-expect-error an AccountKey is wrapped under a PasskeyKey, RecoveryKey or PassphraseKey, not a NodeKey
		expect(() => wrapAccountKey(accountKey, nodeKey, { userId: "u" })).toThrow();
		const wrapped = wrapNodeKey(nodeKey, vaultKey, { nodeId: "n", parentId: "p" });
		// @ts-expect-error unwrapping gives a NodeKey, not an AccountKey
		const notAccount: AccountKey = unwrapNodeKey(wrapped, vaultKey, { nodeId: "n", parentId: "p" });
		// @ts-expect-error raw bytes are not a key
		const rawIsNotKey: NodeKey = new Uint8Array(32);
		expect([notNode, notContent, notAccount, rawIsNotKey]).toHaveLength(4);
	});

	it("public keys are validated as points", () => {
		expect(() => signingPublicKeyFromBytes(new Uint8Array(31))).toThrowError(
			expect.objectContaining({ name: "InvalidKeyError" }),
		);
		const fieldPrime = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";
		for (const bad of [`02${fieldPrime}`, `04${"11".repeat(32)}`, `05${"00".repeat(32)}`]) {
			expect(() => encryptionPublicKeyFromBytes(hexToBytes(bad))).toThrowError(
				expect.objectContaining({ name: "InvalidKeyError" }),
			);
		}
		const valid = encryptionPublicKeyOf(generateSecp256k1Key("EncryptionSecretKey"));
		expect(encryptionPublicKeyFromBytes(valid)).toEqual(valid);
	});
});

describe("key derivation (DESIGN §3)", () => {
	const prf = new Uint8Array(32).fill(0x42);
	const credentialId = new Uint8Array(20).fill(0x07);

	it("PasskeyKey = HKDF-SHA256(PRF output, salt = credential id, info coffre/passkey/v1)", () => {
		const expected = hkdf(
			sha256,
			prf,
			credentialId,
			new TextEncoder().encode("coffre/passkey/v1"),
			32,
		);
		const key = derivePasskeyKey(prf, credentialId);
		expect(key.kind).toBe("PasskeyKey");
		expect(hexOf(key)).toBe(bytesToHex(expected));
		expect(hexOf(derivePasskeyKey(prf, new Uint8Array(20).fill(8)))).not.toBe(hexOf(key));
	});

	it("PasskeyKey refuses a PRF output that is not 32 bytes or an empty credential id", () => {
		expect(() => derivePasskeyKey(new Uint8Array(31), credentialId)).toThrowError(
			expect.objectContaining({ name: "FormatError" }),
		);
		expect(() => derivePasskeyKey(prf, new Uint8Array(0))).toThrowError(
			expect.objectContaining({ name: "FormatError" }),
		);
	});

	it("ContentKey = HKDF-SHA256(NodeKey, info coffre/content/v1 ‖ versionId), one per version", () => {
		const nodeKey = generateKey("NodeKey");
		const info = new TextEncoder().encode("coffre/content/v1ver-1");
		const expected = hkdf(sha256, nodeKey.exportBytes(), undefined, info, 32);
		const contentKey = deriveContentKey(nodeKey, "ver-1");
		expect(contentKey.kind).toBe("ContentKey");
		expect(hexOf(contentKey)).toBe(bytesToHex(expected));
		expect(hexOf(deriveContentKey(nodeKey, "ver-2"))).not.toBe(hexOf(contentKey));
		expect(hexOf(deriveContentKey(generateKey("NodeKey"), "ver-1"))).not.toBe(hexOf(contentKey));
	});

	it("error messages never contain key bytes", () => {
		const key = generateKey("NodeKey");
		const secretHex = hexOf(key);
		const messages: string[] = [];
		for (const attempt of [
			() => deriveContentKey(key, ""),
			() => wrapNodeKey(key, generateKey("VaultKey"), { nodeId: "", parentId: "p" }),
			() => importSecretKey("NodeKey", key.exportBytes().subarray(1)),
		]) {
			try {
				attempt();
			} catch (error) {
				messages.push(String(error), (error as Error).stack ?? "");
			}
		}
		expect(messages.length).toBe(6);
		for (const message of messages) {
			expect(message).not.toContain(secretHex);
			expect(message).not.toContain(Buffer.from(key.exportBytes()).toString("base64"));
		}
	});
});
