// Sealed box (DESIGN §4): small objects — wrapped keys, names, metadata, manifests — sealed with
// XChaCha20-Poly1305 (@noble/ciphers) under a 32-byte key, bound to a purpose and to ids, and
// key-committing. Must never decrypt before the commitment has been checked, never open a box
// for a purpose or ids other than those it was sealed for, and never reuse a nonce (each is
// 24 fresh random bytes).
//
// Byte layout (version 1), exact lengths, nothing after the tag:
//   offset  size  field
//   0       1     version = 0x01
//   1       24    nonce (random)
//   25      32    commitment = HMAC-SHA256(key, "coffre/commit/v1" ‖ nonce)
//   57      n     ciphertext (n = plaintext length)
//   57+n    16    Poly1305 tag
//
// Associated data (never stored, rebuilt by the opener):
//   version (1) ‖ len (1) ‖ purpose label ‖ count (1) ‖
//   for each id field, in the purpose's fixed order: len (1) ‖ field name ‖ len (1) ‖ id (UTF-8)
// Every variable part is length-prefixed, so no two (purpose, ids) give the same AD.
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { ByteReader, ByteWriter, equalBytes, idBytes, utf8 } from "./bytes";
import { FormatError, IntegrityError, KeyCommitmentError, UnsupportedVersionError } from "./errors";
import type { SecretKey, SymmetricKeyKind } from "./keys";
import { fillNonce } from "./random";

export const SEALED_BOX_VERSION = 1;
export const BOX_NONCE_BYTES = 24;
export const BOX_COMMITMENT_BYTES = 32;
export const BOX_TAG_BYTES = 16;
/** Bytes a box adds to its plaintext. */
export const BOX_OVERHEAD = 1 + BOX_NONCE_BYTES + BOX_COMMITMENT_BYTES + BOX_TAG_BYTES;
/** Sealed boxes are for small objects; larger data goes through the sealed stream. */
export const MAX_BOX_PLAINTEXT = 16 * 2 ** 20;

const COMMIT_LABEL = utf8("coffre/commit/v1");

/**
 * The closed set of purposes, each with the ids a box of that purpose is bound to, in order.
 * A box sealed for one purpose never opens as another: the label and ids are in the AD.
 */
export const BOX_PURPOSES = {
	"account-key/passkey": ["user"],
	"account-key/recovery": ["user"],
	"account-key/passphrase": ["user"],
	"identity-secrets": ["user"],
	"vault-key": ["user", "vault", "epoch"],
	"node-key": ["node", "parent"],
	"share-key": ["user", "share"],
	"identity-pins": ["user"],
	"node-name": ["node", "parent"],
	"node-metadata": ["node", "version"],
	manifest: ["node", "version"],
	"upload-state": ["node", "version"],
	"folder-state": ["vault", "folder"],
} as const satisfies Record<string, readonly string[]>;

export type BoxPurpose = keyof typeof BOX_PURPOSES;

/** The ids a purpose binds, e.g. `{ node, parent }` for "node-key". */
export type BoundIds<P extends BoxPurpose> = {
	readonly [F in (typeof BOX_PURPOSES)[P][number]]: string;
};

/** Any 32-byte symmetric key may seal a box; key-wrap.ts narrows which key seals what. */
export type BoxKey = SecretKey<SymmetricKeyKind>;

/** The constant start of each purpose's AD and its field names, encoded once. */
interface PurposeLayout {
	prefix: Uint8Array;
	fields: readonly string[];
	fieldNames: readonly Uint8Array[];
}
const purposeLayouts = new Map<string, PurposeLayout>();

function layoutOf(purpose: string): PurposeLayout {
	const known = purposeLayouts.get(purpose);
	if (known) return known;
	if (!Object.hasOwn(BOX_PURPOSES, purpose)) throw new FormatError("unknown sealed-box purpose");
	const fields = BOX_PURPOSES[purpose as BoxPurpose] as readonly string[];
	const layout: PurposeLayout = {
		prefix: new ByteWriter()
			.u8(SEALED_BOX_VERSION)
			.shortBytes(utf8(purpose))
			.u8(fields.length)
			.finish(),
		fields,
		fieldNames: fields.map((name) => new ByteWriter().shortBytes(utf8(name)).finish()),
	};
	purposeLayouts.set(purpose, layout);
	return layout;
}

function associatedData<P extends BoxPurpose>(purpose: P, boundTo: BoundIds<P>): Uint8Array {
	const { prefix, fields, fieldNames } = layoutOf(purpose);
	if (typeof boundTo !== "object" || boundTo === null)
		throw new FormatError("boundTo must be an object of ids");
	const given = Object.keys(boundTo);
	if (given.length !== fields.length || !given.every((name) => fields.includes(name))) {
		throw new FormatError(`purpose ${purpose} binds exactly these ids: ${fields.join(", ")}`);
	}
	const ids = fields.map((name) =>
		idBytes((boundTo as Record<string, string>)[name] as string, `${name} id`),
	);
	let length = prefix.length;
	for (let i = 0; i < fields.length; i++)
		length += (fieldNames[i] as Uint8Array).length + 1 + (ids[i] as Uint8Array).length;
	const ad = new Uint8Array(length);
	ad.set(prefix);
	let offset = prefix.length;
	for (let i = 0; i < fields.length; i++) {
		const name = fieldNames[i] as Uint8Array;
		const id = ids[i] as Uint8Array;
		ad.set(name, offset);
		offset += name.length;
		ad[offset++] = id.length;
		ad.set(id, offset);
		offset += id.length;
	}
	return ad;
}

/** HMAC-SHA256(key, COMMIT_LABEL ‖ nonce). */
function commitment(key: Uint8Array, nonce: Uint8Array): Uint8Array {
	return hmac.create(sha256, key).update(COMMIT_LABEL).update(nonce).digest();
}

export interface SealBoxInput<P extends BoxPurpose> {
	key: BoxKey;
	purpose: P;
	boundTo: BoundIds<P>;
	plaintext: Uint8Array;
}

/**
 * Seals a small object for one purpose and set of ids.
 * @example
 * const box = sealBox({ key: nodeKey, purpose: "node-name", boundTo: { node, parent }, plaintext: utf8(name) });
 */
export function sealBox<P extends BoxPurpose>({
	key,
	purpose,
	boundTo,
	plaintext,
}: SealBoxInput<P>): Uint8Array<ArrayBuffer> {
	if (!(plaintext instanceof Uint8Array)) throw new FormatError("plaintext must be bytes");
	if (plaintext.length > MAX_BOX_PLAINTEXT)
		throw new FormatError("plaintext is too large for a sealed box");
	const ad = associatedData(purpose, boundTo);
	const keyBytes = key.exportBytes();
	try {
		const box = new Uint8Array(BOX_OVERHEAD + plaintext.length);
		box[0] = SEALED_BOX_VERSION;
		const nonce = box.subarray(1, 1 + BOX_NONCE_BYTES);
		fillNonce(nonce);
		box.set(commitment(keyBytes, nonce), 1 + BOX_NONCE_BYTES);
		xchacha20poly1305(keyBytes, nonce, ad).encrypt(
			plaintext,
			box.subarray(BOX_OVERHEAD - BOX_TAG_BYTES),
		);
		return box;
	} finally {
		keyBytes.fill(0);
	}
}

export interface OpenBoxInput<P extends BoxPurpose> {
	key: BoxKey;
	purpose: P;
	boundTo: BoundIds<P>;
	box: Uint8Array;
}

/**
 * Opens a sealed box. Throws UnsupportedVersionError, FormatError (framing),
 * KeyCommitmentError (wrong key or altered nonce/commitment) or IntegrityError (anything else
 * altered, or a different purpose or ids) — never returns wrong plaintext.
 */
export function openBox<P extends BoxPurpose>({
	key,
	purpose,
	boundTo,
	box,
}: OpenBoxInput<P>): Uint8Array<ArrayBuffer> {
	if (!(box instanceof Uint8Array)) throw new FormatError("sealed box must be bytes");
	const ad = associatedData(purpose, boundTo);
	const reader = new ByteReader(box, "sealed box");
	const version = reader.u8();
	if (version !== SEALED_BOX_VERSION)
		throw new UnsupportedVersionError(`sealed box version ${version} is not supported`);
	if (box.length < BOX_OVERHEAD) throw new FormatError("sealed box is too short");
	if (box.length - BOX_OVERHEAD > MAX_BOX_PLAINTEXT)
		throw new FormatError("sealed box is too large");
	const nonce = reader.bytes(BOX_NONCE_BYTES);
	const storedCommitment = reader.bytes(BOX_COMMITMENT_BYTES);
	const sealed = reader.rest();
	const keyBytes = key.exportBytes();
	try {
		if (!equalBytes(commitment(keyBytes, nonce), storedCommitment)) {
			throw new KeyCommitmentError("sealed box was not made with this key");
		}
		try {
			return xchacha20poly1305(keyBytes, nonce, ad).decrypt(sealed) as Uint8Array<ArrayBuffer>;
		} catch {
			throw new IntegrityError(
				`sealed box does not authenticate for purpose ${purpose} and these ids`,
			);
		}
	} finally {
		keyBytes.fill(0);
	}
}

/** Checks the framing of a sealed box without a key (version and minimum length). */
export function assertBoxFraming(box: Uint8Array, what = "sealed box"): void {
	if (!(box instanceof Uint8Array) || box.length < 1)
		throw new FormatError(`${what} must be bytes`);
	if (box[0] !== SEALED_BOX_VERSION) {
		throw new UnsupportedVersionError(`${what} version ${box[0]} is not supported`);
	}
	if (box.length < BOX_OVERHEAD) throw new FormatError(`${what} is too short`);
}
