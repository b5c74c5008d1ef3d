// The share policy (DESIGN §7): what the owner's client signs for the proxies of one share or
// link — which capsule, which delegation (delegating, receiving and verifying keys), who may ask
// (requesterPk), from when until when, how many times, t of n. Canonical fixed binary layout
//   version (1) ‖ shareId (16) ‖ capsuleHash (32) ‖ delegatingPk (33) ‖ receivingPk (33) ‖
//   verifyingPk (33) ‖ requesterPk (32) ‖ expiresAt u64 ‖ notBefore u64 ‖ useLimit u32 ‖
//   threshold u16 ‖ shares u16                                         = 204 bytes
// followed by a 64-byte Umbral ECDSA signature (shared/spec/umbral.md "Signatures") by the
// per-share signer whose public key is `verifyingPk`, over "coffre/share-policy/v1" ‖ body.
// The same key signs the kfrags, so a policy and its kfrags come from one author.
// Parsing is strict (exact length, version, valid keys, ranges); it never returns a policy
// whose signature was not checked (`verifySharePolicy`).
import { sha256 } from "@noble/hashes/sha2.js";
import { ByteReader, ByteWriter, concatBytes } from "../bytes";
import { FormatError, MisuseError, SignatureError, UnsupportedVersionError } from "../errors";
import { type SigningPublicKey, signingPublicKeyFromBytes } from "../keys";
import { MAX_SHARES, PublicKey, type Signer, type UmbralOptions } from "../umbral";
import { labelledMessage, splitSigned, UMBRAL_SIGNATURE_BYTES } from "./signed-bytes";

/** Format version of the policy body. */
export const SHARE_POLICY_VERSION = 1;
/** Domain label prefixed to the body before signing. */
export const SHARE_POLICY_LABEL = "coffre/share-policy/v1";
/** Bytes of a share id (random, chosen by the owner's client). */
export const SHARE_ID_BYTES = 16;
/** Bytes of a capsule hash (SHA-256 of the capsule's canonical 105 bytes). */
export const CAPSULE_HASH_BYTES = 32;
/** Bytes of the policy body. */
export const SHARE_POLICY_BODY_BYTES = 1 + 16 + 32 + 33 * 3 + 32 + 8 + 8 + 4 + 2 + 2;
/** Bytes of a signed policy (body ‖ signature). */
export const SIGNED_SHARE_POLICY_BYTES = SHARE_POLICY_BODY_BYTES + UMBRAL_SIGNATURE_BYTES;
/** Largest use limit (u32); 0 means unlimited. */
export const MAX_USE_LIMIT = 0xffff_ffff;

/** What a share's proxies enforce. Times are ms since the Unix epoch. */
export interface SharePolicy {
	shareId: Uint8Array;
	/** SHA-256 of the Umbral capsule's canonical bytes (see `capsuleHash`). */
	capsuleHash: Uint8Array;
	/** The ShareKey's public key (Umbral delegating key). */
	delegatingPk: PublicKey;
	/** The recipient's Umbral public key (a user's identity encryption key, or a link key). */
	receivingPk: PublicKey;
	/** The per-share signer's key: it signs the kfrags, this policy and revocations. */
	verifyingPk: PublicKey;
	/** Ed25519 key whose signature every re-encryption request must carry. */
	requesterPk: SigningPublicKey;
	/** Required: proxies refuse and delete the kfrag from this time on. */
	expiresAt: number;
	/** Proxies refuse before this time; 0 = no lower bound. */
	notBefore: number;
	/** Re-encryptions each proxy serves; 0 = unlimited. */
	useLimit: number;
	threshold: number;
	shares: number;
}

/** SHA-256 of a capsule's canonical bytes, as a policy binds it. */
export function capsuleHash(capsuleBytes: Uint8Array): Uint8Array {
	return sha256(capsuleBytes);
}

/** SHA-256 of a signed policy's bytes (what a kfrag storage ticket binds). */
export function sharePolicyHash(signedPolicy: Uint8Array): Uint8Array {
	return sha256(signedPolicy);
}

function checkTime(value: number, what: string): void {
	if (!Number.isSafeInteger(value) || value < 0) {
		throw new FormatError(`${what} must be a non-negative integer of ms`);
	}
}

function checkFields(policy: SharePolicy): void {
	if (!(policy.shareId instanceof Uint8Array) || policy.shareId.length !== SHARE_ID_BYTES) {
		throw new FormatError(`share id must be ${SHARE_ID_BYTES} bytes`);
	}
	if (
		!(policy.capsuleHash instanceof Uint8Array) ||
		policy.capsuleHash.length !== CAPSULE_HASH_BYTES
	) {
		throw new FormatError(`capsule hash must be ${CAPSULE_HASH_BYTES} bytes`);
	}
	for (const key of ["delegatingPk", "receivingPk", "verifyingPk"] as const) {
		if (!(policy[key] instanceof PublicKey)) throw new FormatError(`${key} must be a PublicKey`);
	}
	if (!(policy.requesterPk instanceof Uint8Array) || policy.requesterPk.length !== 32) {
		throw new FormatError("requester key must be a 32-byte Ed25519 public key");
	}
	checkTime(policy.expiresAt, "expiresAt");
	checkTime(policy.notBefore, "notBefore");
	if (policy.expiresAt === 0) throw new FormatError("a share policy must expire");
	if (policy.notBefore >= policy.expiresAt) {
		throw new FormatError("notBefore must come before expiresAt");
	}
	if (
		!Number.isSafeInteger(policy.useLimit) ||
		policy.useLimit < 0 ||
		policy.useLimit > MAX_USE_LIMIT
	) {
		throw new FormatError(`use limit must be an integer in 0..${MAX_USE_LIMIT}`);
	}
	if (!Number.isSafeInteger(policy.shares) || policy.shares < 1 || policy.shares > MAX_SHARES) {
		throw new FormatError(`shares must be an integer in 1..${MAX_SHARES}`);
	}
	if (
		!Number.isSafeInteger(policy.threshold) ||
		policy.threshold < 1 ||
		policy.threshold > policy.shares
	) {
		throw new FormatError("threshold must be an integer in 1..shares");
	}
}

/** The canonical 204-byte body of a policy (fields checked first). */
export function encodeSharePolicy(policy: SharePolicy): Uint8Array {
	checkFields(policy);
	// Checked through the branded constructor: a bad requester key never gets signed.
	const requesterPk = readRequesterKey(new ByteReader(policy.requesterPk, "requester key"));
	const u16 = (value: number) => Uint8Array.of(value >> 8, value & 0xff);
	return new ByteWriter()
		.u8(SHARE_POLICY_VERSION)
		.bytes(policy.shareId)
		.bytes(policy.capsuleHash)
		.bytes(policy.delegatingPk.toBytes())
		.bytes(policy.receivingPk.toBytes())
		.bytes(policy.verifyingPk.toBytes())
		.bytes(requesterPk)
		.u64(policy.expiresAt)
		.u64(policy.notBefore)
		.u32(policy.useLimit)
		.bytes(u16(policy.threshold))
		.bytes(u16(policy.shares))
		.finish();
}

function readPublicKey(reader: ByteReader, what: string, options?: UmbralOptions): PublicKey {
	try {
		return PublicKey.fromBytes(reader.bytes(33), options);
	} catch (err) {
		if (err instanceof FormatError) throw err;
		throw new FormatError(`share policy ${what} is not a valid public key`);
	}
}

function readRequesterKey(reader: ByteReader): SigningPublicKey {
	const bytes = reader.bytes(32);
	try {
		return signingPublicKeyFromBytes(bytes);
	} catch {
		throw new FormatError("share policy requester key is not a valid Ed25519 public key");
	}
}

function decodeBody(body: Uint8Array, options?: UmbralOptions): SharePolicy {
	const reader = new ByteReader(body, "share policy");
	const version = reader.u8();
	if (version !== SHARE_POLICY_VERSION) {
		throw new UnsupportedVersionError(`share policy version ${version} is not supported`);
	}
	const shareId = Uint8Array.from(reader.bytes(SHARE_ID_BYTES));
	const hash = Uint8Array.from(reader.bytes(CAPSULE_HASH_BYTES));
	const delegatingPk = readPublicKey(reader, "delegating key", options);
	const receivingPk = readPublicKey(reader, "receiving key", options);
	const verifyingPk = readPublicKey(reader, "verifying key", options);
	const requesterPk = readRequesterKey(reader);
	const expiresAt = reader.u64();
	const notBefore = reader.u64();
	const useLimit = reader.u32();
	const pair = reader.bytes(4);
	reader.end();
	const policy: SharePolicy = {
		shareId,
		capsuleHash: hash,
		delegatingPk,
		receivingPk,
		verifyingPk,
		requesterPk,
		expiresAt,
		notBefore,
		useLimit,
		threshold: ((pair[0] as number) << 8) | (pair[1] as number),
		shares: ((pair[2] as number) << 8) | (pair[3] as number),
	};
	checkFields(policy);
	return policy;
}

/**
 * Signs a policy with the per-share signer (whose verifying key must be `policy.verifyingPk`);
 * returns the signed bytes (body ‖ signature) the proxies receive.
 * @example const signedPolicy = signSharePolicy(policy, deriveShareSigner(shareKey));
 */
export function signSharePolicy(
	policy: SharePolicy,
	signer: Signer,
	options?: UmbralOptions,
): Uint8Array {
	const body = encodeSharePolicy(policy);
	if (!signer.verifyingKey().equals(policy.verifyingPk)) {
		throw new MisuseError("the signer's key is not the policy's verifying key");
	}
	const signature = signer.sign(labelledMessage(SHARE_POLICY_LABEL, body), options);
	return concatBytes(body, signature.toBytes());
}

/**
 * Parses signed policy bytes and checks the signature against the `verifyingPk` they carry.
 * Throws FormatError / UnsupportedVersionError (bytes) or SignatureError (signature).
 * @example const policy = verifySharePolicy(signedPolicy, { backend: wasmCurveBackend });
 */
export function verifySharePolicy(signed: Uint8Array, options?: UmbralOptions): SharePolicy {
	const { body, signature } = splitSigned(signed, SHARE_POLICY_BODY_BYTES, "signed share policy");
	const policy = decodeBody(body, options);
	if (!signature.verify(policy.verifyingPk, labelledMessage(SHARE_POLICY_LABEL, body), options)) {
		throw new SignatureError("share policy signature does not verify under its verifying key");
	}
	return policy;
}
