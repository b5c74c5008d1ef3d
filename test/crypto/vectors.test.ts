// The primitives under Coffre's formats, checked against published vectors (test/vectors/crypto/
// README.md names each source): XChaCha20-Poly1305, AES-256-GCM through WebCrypto, HKDF-SHA256,
// HMAC-SHA256 and Ed25519. Every altered vector must be refused.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { ed25519 } from "@noble/curves/ed25519.js";
import { expand, extract, hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { importSecretKey, sign, signingPublicKeyOf, verifySignature } from "../../crypto/index";

const vectorDir = join(import.meta.dirname, "../vectors/crypto");
// biome-ignore lint/suspicious/noExplicitAny: vector files are plain JSON
function load(name: string): { source: string; vectors: any[] } {
	return JSON.parse(readFileSync(join(vectorDir, name), "utf8"));
}

function flipped(bytes: Uint8Array, index: number, bit = 1): Uint8Array {
	const copy = Uint8Array.from(bytes);
	copy[index] = (copy[index] as number) ^ bit;
	return copy;
}

describe("XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03 §A.3.1)", () => {
	for (const v of load("xchacha20-poly1305.json").vectors) {
		const key = hexToBytes(v.key);
		const nonce = hexToBytes(v.nonce);
		const aad = hexToBytes(v.aad);
		const sealed = hexToBytes(v.ciphertext + v.tag);

		it("seals the published plaintext to the published ciphertext and tag", () => {
			expect(bytesToHex(xchacha20poly1305(key, nonce, aad).encrypt(hexToBytes(v.plaintext)))).toBe(
				v.ciphertext + v.tag,
			);
		});

		it("opens the published ciphertext", () => {
			expect(bytesToHex(xchacha20poly1305(key, nonce, aad).decrypt(sealed))).toBe(v.plaintext);
		});

		it("refuses every single-byte change of ciphertext, tag, nonce and AD", () => {
			for (let i = 0; i < sealed.length; i++) {
				expect(() => xchacha20poly1305(key, nonce, aad).decrypt(flipped(sealed, i))).toThrow();
			}
			for (let i = 0; i < nonce.length; i++) {
				expect(() => xchacha20poly1305(key, flipped(nonce, i), aad).decrypt(sealed)).toThrow();
			}
			for (let i = 0; i < aad.length; i++) {
				expect(() => xchacha20poly1305(key, nonce, flipped(aad, i)).decrypt(sealed)).toThrow();
			}
		});
	}
});

describe("AES-256-GCM through WebCrypto (GCM spec test cases 13–16)", () => {
	async function importAes(key: Uint8Array): Promise<CryptoKey> {
		return crypto.subtle.importKey("raw", key as Uint8Array<ArrayBuffer>, "AES-GCM", false, [
			"encrypt",
			"decrypt",
		]);
	}
	function params(iv: Uint8Array, aad: Uint8Array): AesGcmParams {
		return {
			name: "AES-GCM",
			iv: iv as Uint8Array<ArrayBuffer>,
			additionalData: aad as Uint8Array<ArrayBuffer>,
		};
	}

	for (const v of load("aes-256-gcm.json").vectors) {
		const iv = hexToBytes(v.iv);
		const aad = hexToBytes(v.aad);
		const sealed = hexToBytes(v.ciphertext + v.tag);

		it(`${v.name}: encrypts to the published ciphertext and tag, and decrypts back`, async () => {
			const key = await importAes(hexToBytes(v.key));
			const out = new Uint8Array(
				await crypto.subtle.encrypt(params(iv, aad), key, hexToBytes(v.plaintext)),
			);
			expect(bytesToHex(out)).toBe(v.ciphertext + v.tag);
			const back = new Uint8Array(await crypto.subtle.decrypt(params(iv, aad), key, sealed));
			expect(bytesToHex(back)).toBe(v.plaintext);
		});

		it(`${v.name}: every modified tag bit, ciphertext byte, IV byte or AD byte is refused`, async () => {
			const key = await importAes(hexToBytes(v.key));
			const invalid: [Uint8Array, Uint8Array, Uint8Array][] = [];
			const tagStart = sealed.length - 16;
			for (let bit = 0; bit < 128; bit++) {
				invalid.push([iv, aad, flipped(sealed, tagStart + (bit >> 3), 1 << (bit & 7))]);
			}
			for (let i = 0; i < tagStart; i++) invalid.push([iv, aad, flipped(sealed, i)]);
			for (let i = 0; i < iv.length; i++) invalid.push([flipped(iv, i), aad, sealed]);
			for (let i = 0; i < aad.length; i++) invalid.push([iv, flipped(aad, i), sealed]);
			invalid.push([iv, aad, sealed.subarray(0, sealed.length - 1)]);
			invalid.push([iv, aad, new Uint8Array([...sealed, 0])]);
			for (const [badIv, badAad, badSealed] of invalid) {
				await expect(
					crypto.subtle.decrypt(params(badIv, badAad), key, badSealed as Uint8Array<ArrayBuffer>),
				).rejects.toThrow();
			}
		});
	}
});

describe("HKDF-SHA256 (RFC 5869 test cases 1–3)", () => {
	for (const v of load("hkdf-sha256.json").vectors) {
		it(`${v.name}: PRK and OKM match`, () => {
			const salt = v.salt === "" ? undefined : hexToBytes(v.salt);
			const prk = extract(sha256, hexToBytes(v.ikm), salt);
			expect(bytesToHex(prk)).toBe(v.prk);
			expect(bytesToHex(expand(sha256, prk, hexToBytes(v.info), v.length))).toBe(v.okm);
			expect(bytesToHex(hkdf(sha256, hexToBytes(v.ikm), salt, hexToBytes(v.info), v.length))).toBe(
				v.okm,
			);
		});
	}
});

describe("HMAC-SHA256 (RFC 4231)", () => {
	for (const v of load("hmac-sha256.json").vectors) {
		it(`${v.name}: MAC matches`, () => {
			expect(bytesToHex(hmac(sha256, hexToBytes(v.key), hexToBytes(v.data)))).toBe(v.mac);
		});
	}
});

describe("Ed25519 (RFC 8032 §7.1 TEST 1–3)", () => {
	for (const v of load("ed25519.json").vectors) {
		it(`${v.name}: public key and signature match, and altered signatures fail`, () => {
			const secret = hexToBytes(v.secretKey);
			const message = hexToBytes(v.message);
			const signature = hexToBytes(v.signature);
			const signingKey = importSecretKey("SigningSecretKey", secret);
			const publicKey = signingPublicKeyOf(signingKey);
			expect(bytesToHex(publicKey)).toBe(v.publicKey);
			expect(bytesToHex(ed25519.sign(message, secret))).toBe(v.signature);
			expect(ed25519.verify(signature, message, publicKey, { zip215: false })).toBe(true);
			for (let i = 0; i < signature.length; i++) {
				expect(ed25519.verify(flipped(signature, i), message, publicKey, { zip215: false })).toBe(
					false,
				);
			}
		});

		it(`${v.name}: a raw RFC signature never verifies as a Coffre context signature`, () => {
			const signingKey = importSecretKey("SigningSecretKey", hexToBytes(v.secretKey));
			const publicKey = signingPublicKeyOf(signingKey);
			const message = hexToBytes(v.message);
			expect(verifySignature(publicKey, "manifest", message, hexToBytes(v.signature))).toBe(false);
			const contextual = sign(signingKey, "manifest", message);
			expect(verifySignature(publicKey, "manifest", message, contextual)).toBe(true);
			expect(ed25519.verify(contextual, message, publicKey)).toBe(false);
		});
	}
});
