// Ed25519 signatures (RFC 8032, @noble/curves) with domain separation: what is signed is
//   "coffre/sig/v1" ‖ len (1) ‖ context label ‖ message
// so a signature made for one context (a manifest, say) never verifies as another (a share
// policy). Verification is strict RFC 8032 (no ZIP-215 leniency). Must never sign raw
// caller bytes without a context.
import { ed25519 } from "@noble/curves/ed25519.js";
import { ByteWriter, utf8 } from "./bytes";
import { FormatError, SignatureError } from "./errors";
import type { SigningPublicKey, SigningSecretKey } from "./keys";

export const SIGNATURE_BYTES = 64;
const SIGNATURE_DOMAIN = utf8("coffre/sig/v1");

/** The closed set of things Coffre signs. */
export const SIGNATURE_CONTEXTS = [
	"public-identity",
	"manifest",
	"share-policy",
	"share-revocation",
	"cfrag-request",
	"link-access",
	"membership",
	"vault-key-grant",
	"recovery-proof",
	"folder-state",
] as const;

export type SignatureContext = (typeof SIGNATURE_CONTEXTS)[number];

function signedBytes(context: SignatureContext, message: Uint8Array): Uint8Array {
	if (!SIGNATURE_CONTEXTS.includes(context)) throw new FormatError("unknown signature context");
	if (!(message instanceof Uint8Array)) throw new FormatError("message must be bytes");
	return new ByteWriter().bytes(SIGNATURE_DOMAIN).shortBytes(utf8(context)).bytes(message).finish();
}

/**
 * Signs `message` for one context.
 * @example const signature = sign(identity.signing, "manifest", manifestBytes);
 */
export function sign(
	key: SigningSecretKey,
	context: SignatureContext,
	message: Uint8Array,
): Uint8Array<ArrayBuffer> {
	const seed = key.exportBytes();
	try {
		return ed25519.sign(signedBytes(context, message), seed) as Uint8Array<ArrayBuffer>;
	} finally {
		seed.fill(0);
	}
}

/** True when `signature` is a valid signature of `message` for `context` by `publicKey`. */
export function verifySignature(
	publicKey: SigningPublicKey,
	context: SignatureContext,
	message: Uint8Array,
	signature: Uint8Array,
): boolean {
	if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES) return false;
	try {
		return ed25519.verify(signature, signedBytes(context, message), publicKey, { zip215: false });
	} catch {
		return false;
	}
}

/** Like verifySignature, but throws SignatureError when the signature does not verify. */
export function assertSignature(
	publicKey: SigningPublicKey,
	context: SignatureContext,
	message: Uint8Array,
	signature: Uint8Array,
): void {
	if (!verifySignature(publicKey, context, message, signature)) {
		throw new SignatureError(`signature for ${context} does not verify`);
	}
}
