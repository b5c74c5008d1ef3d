// Signed envelopes: signatures made with node:crypto are byte for byte the ones @noble/curves
// makes (Ed25519 is deterministic), they open only for their own domain and key, and a key
// array whose contents change signs with its new contents.
import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { decodeMessage } from "../../p2p/wire/cbor";
import { generateSigningKeys, openEnvelope, signEnvelope } from "../../p2p/wire/signed";

/** The bytes an envelope's signature covers: domain label ‖ 0x00 ‖ CBOR body. */
function signedBytes(domain: string, body: Uint8Array): Uint8Array {
	const label = new TextEncoder().encode(domain);
	const out = new Uint8Array(label.length + 1 + body.length);
	out.set(label, 0);
	out.set(body, label.length + 1);
	return out;
}

describe("signed envelopes", () => {
	it("sign exactly as @noble/curves does, and open with the signer's public key", () => {
		for (let i = 0; i < 20; i++) {
			const { secretKey, publicKey } = generateSigningKeys();
			const value = { v: 1, n: i, root: crypto.getRandomValues(new Uint8Array(32)) };
			const envelope = signEnvelope("coffre/test/v1", value, secretKey);
			expect(envelope.sig).toEqual(
				ed25519.sign(signedBytes("coffre/test/v1", envelope.body), secretKey),
			);
			expect(openEnvelope("coffre/test/v1", envelope, publicKey)).toEqual(
				decodeMessage(envelope.body),
			);
			expect(openEnvelope("coffre/other/v1", envelope, publicKey)).toBeNull();
			expect(openEnvelope("coffre/test/v1", envelope, generateSigningKeys().publicKey)).toBeNull();
		}
	});

	it("signs with a key array's current contents", () => {
		const first = generateSigningKeys();
		const second = generateSigningKeys();
		const key = first.secretKey.slice();
		const before = signEnvelope("coffre/test/v1", { n: 1 }, key);
		key.set(second.secretKey);
		const after = signEnvelope("coffre/test/v1", { n: 1 }, key);
		expect(openEnvelope("coffre/test/v1", before, first.publicKey)).not.toBeNull();
		expect(openEnvelope("coffre/test/v1", after, second.publicKey)).not.toBeNull();
		expect(openEnvelope("coffre/test/v1", after, first.publicKey)).toBeNull();
	});

	it("refuses a secret key that is not 32 bytes", () => {
		expect(() => signEnvelope("coffre/test/v1", { n: 1 }, new Uint8Array(31))).toThrow("32 bytes");
	});
});
