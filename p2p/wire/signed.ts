// Ed25519 signed envelopes (@noble/curves) for storage tickets, delete orders and node records:
// the signed bytes are a domain label ‖ 0x00 ‖ the CBOR body, and the body travels as those
// exact bytes, so a signature for one kind of document never verifies as another and nothing
// depends on re-encoding. It never verifies a signature of the wrong length or a bad key.
// Verification runs on node:crypto (OpenSSL's RFC 8032 check, ~15× faster than the pure one,
// which matters on every shard put); every signature it accepts is also valid for noble's
// (ZIP 215) check, so it only ever refuses more, never less. Signing runs on node:crypto too
// (0.04 ms instead of 1 ms here; the gateway signs a ticket for every shard it sends): Ed25519
// signatures are deterministic, so both give the same bytes (tested against noble).
import {
	createPrivateKey,
	createPublicKey,
	type KeyObject,
	sign,
	timingSafeEqual,
	verify,
} from "node:crypto";
import { ed25519 } from "@noble/curves/ed25519.js";
import { decodeMessage, encodeMessage } from "./cbor";

/** A CBOR body and an Ed25519 signature over its domain-labelled bytes. */
export interface SignedEnvelope {
	body: Uint8Array;
	sig: Uint8Array;
}

const encoder = new TextEncoder();

function signedBytes(domain: string, body: Uint8Array): Uint8Array {
	const label = encoder.encode(domain);
	const out = new Uint8Array(label.length + 1 + body.length);
	out.set(label, 0);
	out.set(body, label.length + 1);
	return out;
}

/** DER prefix of an Ed25519 PKCS #8 private key (RFC 8410), followed by the 32-byte seed. */
const PKCS8_PREFIX = Uint8Array.from([
	0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
/**
 * The node:crypto key of each secret key array a signer passed, with the bytes it was made
 * from: a caller that changes its array's contents gets a key made from the new bytes.
 */
const privateKeyObjects = new WeakMap<Uint8Array, { bytes: Uint8Array; key: KeyObject }>();

function privateKeyObject(secretKey: Uint8Array): KeyObject {
	if (secretKey.length !== 32) throw new Error("An Ed25519 secret key is 32 bytes.");
	const cached = privateKeyObjects.get(secretKey);
	if (cached && timingSafeEqual(cached.bytes, secretKey)) return cached.key;
	const der = new Uint8Array(PKCS8_PREFIX.length + 32);
	der.set(PKCS8_PREFIX, 0);
	der.set(secretKey, PKCS8_PREFIX.length);
	const key = createPrivateKey({ key: Buffer.from(der.buffer), format: "der", type: "pkcs8" });
	der.fill(0);
	privateKeyObjects.set(secretKey, { bytes: secretKey.slice(), key });
	return key;
}

/** Encodes `value` as CBOR and signs it for `domain` with a 32-byte Ed25519 secret key. */
export function signEnvelope(
	domain: string,
	value: unknown,
	secretKey: Uint8Array,
): SignedEnvelope {
	const body = encodeMessage(value);
	const sig = sign(null, signedBytes(domain, body), privateKeyObject(secretKey));
	return { body, sig: new Uint8Array(sig.buffer, sig.byteOffset, sig.byteLength) };
}

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 key bytes. */
const SPKI_PREFIX = Uint8Array.from([
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
]);
const keyObjects = new Map<string, KeyObject>();

/** The node:crypto key of a raw 32-byte Ed25519 public key, cached (few keys are trusted). */
function publicKeyObject(publicKey: Uint8Array): KeyObject {
	const id = Buffer.from(publicKey).toString("hex");
	let key = keyObjects.get(id);
	if (key === undefined) {
		const der = new Uint8Array(SPKI_PREFIX.length + 32);
		der.set(SPKI_PREFIX, 0);
		der.set(publicKey, SPKI_PREFIX.length);
		key = createPublicKey({ key: Buffer.from(der), format: "der", type: "spki" });
		if (keyObjects.size >= 64) keyObjects.clear();
		keyObjects.set(id, key);
	}
	return key;
}

/** The decoded body when `sig` is `publicKey`'s signature for `domain`, else null. */
export function openEnvelope(
	domain: string,
	envelope: SignedEnvelope,
	publicKey: Uint8Array,
): unknown | null {
	if (envelope.sig.length !== 64 || publicKey.length !== 32) return null;
	let valid = false;
	try {
		valid = verify(
			null,
			signedBytes(domain, envelope.body),
			publicKeyObject(publicKey),
			envelope.sig,
		);
	} catch {
		valid = false;
	}
	return valid ? decodeMessage(envelope.body) : null;
}

/** A fresh Ed25519 key pair (32-byte secret, 32-byte public). */
export function generateSigningKeys(): { secretKey: Uint8Array; publicKey: Uint8Array } {
	const secretKey = ed25519.utils.randomSecretKey();
	return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

/** The Ed25519 public key of a 32-byte secret key. */
export function signingPublicKey(secretKey: Uint8Array): Uint8Array {
	return ed25519.getPublicKey(secretKey);
}
