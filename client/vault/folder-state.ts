// A folder's sealed state (DESIGN §9.3): what the folder holds, as its owner last saved it —
// every live child's id, kind, a hash of its sealed name and of its wrapped key, and for files
// the id of the newest committed version — with a sequence number that grows by one on every
// change. It is signed by the owner's identity key and sealed under the folder's own key (the
// VaultKey at the top level), both bound to the vault and folder: the server can store it but
// neither forge nor edit it, and neither can someone who holds the folder's key through a share,
// since only the owner signs. A listing is checked against it: an item the server leaves out,
// adds, or shows with an older name, key or version is reported, and a state older than one
// this browser has already seen is a rollback. It must never accept a state sealed or signed
// for another folder, nor a version 2 state its owner did not sign, and never pass a listing
// that differs.
//
// State bytes (canonical: entries sorted by id, no duplicates, exact lengths):
//   version (1) ‖ seq (u64 BE, ≥ 1) ‖ count (u32 BE) ‖ entries
//   entry: id (16, UUID bytes) ‖ kind (1: 0 folder, 1 file) ‖ SHA-256(sealed name) (32) ‖
//          SHA-256(wrapped node key) (32) ‖ for files only: newest version id (16, UUID bytes)
// Sealed plaintext, version 2 (written now): state bytes (version 0x02) ‖ Ed25519 signature
// (64), context "folder-state", over vault id (16) ‖ folder id (16) ‖ state bytes.
// Version 1 (states saved before they were signed): state bytes (version 0x01) alone. They
// still open, marked unsigned; the owner's next listing or change of the folder signs them, and
// a browser that has seen a signed state of a folder refuses an unsigned one (./folder-sync).
import { sha256 } from "@noble/hashes/sha2.js";
import {
	type BoxKey,
	equalBytes,
	FormatError,
	fromBase64url,
	openBox,
	SIGNATURE_BYTES,
	type SigningPublicKey,
	type SigningSecretKey,
	sealBox,
	sign,
	toBase64url,
	UnsupportedVersionError,
	verifySignature,
} from "../../crypto";

/** The version written: signed by the owner. */
export const FOLDER_STATE_VERSION = 2;
/** States saved before they were signed: still read, marked unsigned. */
const UNSIGNED_STATE_VERSION = 1;
/** Most items one folder holds: its state stays small and its listing comes in one answer. */
export const MAX_FOLDER_ENTRIES = 1000;
const HASH_BYTES = 32;
const UUID_BYTES = 16;

export interface FolderEntry {
	id: string;
	kind: "folder" | "file";
	/** SHA-256 of the sealed name as stored (bytes of the base64url string's value). */
	nameHash: Uint8Array;
	/** SHA-256 of the wrapped node key as stored. */
	keyHash: Uint8Array;
	/** For files: the newest committed version. */
	head?: string;
}

export interface FolderState {
	seq: number;
	/** By item id. */
	entries: Map<string, FolderEntry>;
}

/** A state as opened: `signed` is false for a version 1 state, saved before states were signed. */
export interface OpenedFolderState extends FolderState {
	signed: boolean;
}

/** Where a state belongs: its vault, and the folder (the vault id for the top level). */
export interface FolderStateBinding {
	vaultId: string;
	/** The folder's id, or the vault's id for the top level. */
	folderId: string;
}

/** The folder's sealed state did not open, or the listing disagrees with it. */
export class FolderStateError extends Error {
	override name = "FolderStateError";
}

/** SHA-256 of a stored base64url field (sealed name or wrapped key), as entries hold it. */
export function fieldHash(base64url: string): Uint8Array {
	return sha256(fromBase64url(base64url));
}

function uuidBytes(id: string): Uint8Array {
	const hex = id.replaceAll("-", "");
	if (!/^[0-9a-f]{32}$/i.test(hex)) throw new FormatError("folder entries need UUID ids");
	const bytes = new Uint8Array(UUID_BYTES);
	for (let i = 0; i < UUID_BYTES; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
	return bytes;
}

function uuidString(bytes: Uint8Array): string {
	const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
	for (let i = 0; i < a.length && i < b.length; i++) {
		if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
	}
	return a.length - b.length;
}

/** The canonical bytes of a state (version 2; version 1 had the same layout). */
export function encodeFolderState(state: FolderState): Uint8Array {
	if (!Number.isSafeInteger(state.seq) || state.seq < 1)
		throw new FormatError("a folder state's sequence number starts at 1");
	if (state.entries.size > MAX_FOLDER_ENTRIES)
		throw new FormatError(`a folder holds at most ${MAX_FOLDER_ENTRIES} items`);
	const entries = [...state.entries.values()]
		.map((entry) => ({ entry, id: uuidBytes(entry.id) }))
		.sort((a, b) => compareBytes(a.id, b.id));
	const size = entries.reduce(
		(total, { entry }) =>
			total + UUID_BYTES + 1 + 2 * HASH_BYTES + (entry.kind === "file" ? UUID_BYTES : 0),
		1 + 8 + 4,
	);
	const out = new Uint8Array(size);
	const view = new DataView(out.buffer);
	out[0] = FOLDER_STATE_VERSION;
	view.setBigUint64(1, BigInt(state.seq));
	view.setUint32(9, entries.length);
	let offset = 13;
	for (const { entry, id } of entries) {
		if (entry.nameHash.length !== HASH_BYTES || entry.keyHash.length !== HASH_BYTES)
			throw new FormatError("folder entry hashes are 32 bytes");
		out.set(id, offset);
		out[offset + UUID_BYTES] = entry.kind === "file" ? 1 : 0;
		out.set(entry.nameHash, offset + UUID_BYTES + 1);
		out.set(entry.keyHash, offset + UUID_BYTES + 1 + HASH_BYTES);
		offset += UUID_BYTES + 1 + 2 * HASH_BYTES;
		if (entry.kind === "file") {
			if (entry.head === undefined) throw new FormatError("a file entry names its newest version");
			out.set(uuidBytes(entry.head), offset);
			offset += UUID_BYTES;
		}
	}
	return out;
}

/** Parses canonical state bytes; anything else throws FormatError. */
export function decodeFolderState(bytes: Uint8Array): FolderState {
	if (bytes.length < 13) throw new FormatError("folder state is truncated");
	if (bytes[0] !== FOLDER_STATE_VERSION && bytes[0] !== UNSIGNED_STATE_VERSION)
		throw new UnsupportedVersionError(`folder state version ${bytes[0]} is not supported`);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const seq = Number(view.getBigUint64(1));
	const count = view.getUint32(9);
	if (!Number.isSafeInteger(seq) || seq < 1) throw new FormatError("folder state has a bad seq");
	if (count > MAX_FOLDER_ENTRIES) throw new FormatError("folder state has too many entries");
	const entries = new Map<string, FolderEntry>();
	let offset = 13;
	let previous: Uint8Array | null = null;
	for (let i = 0; i < count; i++) {
		if (offset + UUID_BYTES + 1 + 2 * HASH_BYTES > bytes.length)
			throw new FormatError("folder state is truncated");
		const id = bytes.slice(offset, offset + UUID_BYTES);
		if (previous && compareBytes(previous, id) >= 0)
			throw new FormatError("folder state entries are not in canonical order");
		previous = id;
		const kindByte = bytes[offset + UUID_BYTES];
		if (kindByte !== 0 && kindByte !== 1) throw new FormatError("folder entry has a bad kind");
		const entry: FolderEntry = {
			id: uuidString(id),
			kind: kindByte === 1 ? "file" : "folder",
			nameHash: bytes.slice(offset + UUID_BYTES + 1, offset + UUID_BYTES + 1 + HASH_BYTES),
			keyHash: bytes.slice(
				offset + UUID_BYTES + 1 + HASH_BYTES,
				offset + UUID_BYTES + 1 + 2 * HASH_BYTES,
			),
		};
		offset += UUID_BYTES + 1 + 2 * HASH_BYTES;
		if (entry.kind === "file") {
			if (offset + UUID_BYTES > bytes.length) throw new FormatError("folder state is truncated");
			entry.head = uuidString(bytes.subarray(offset, offset + UUID_BYTES));
			offset += UUID_BYTES;
		}
		entries.set(entry.id, entry);
	}
	if (offset !== bytes.length) throw new FormatError("folder state has trailing bytes");
	return { seq, entries };
}

/** What the owner signs: the state bytes bound to their vault and folder. */
function signedMessage(stateBytes: Uint8Array, binding: FolderStateBinding): Uint8Array {
	const message = new Uint8Array(2 * UUID_BYTES + stateBytes.length);
	message.set(uuidBytes(binding.vaultId), 0);
	message.set(uuidBytes(binding.folderId), UUID_BYTES);
	message.set(stateBytes, 2 * UUID_BYTES);
	return message;
}

/**
 * Signs `state` with the owner's identity key and seals it under the folder's key (the
 * VaultKey at the top level), as base64url.
 */
export function sealFolderState(
	state: FolderState,
	key: BoxKey,
	binding: FolderStateBinding,
	ownerSigningKey: SigningSecretKey,
): string {
	const stateBytes = encodeFolderState(state);
	const signature = sign(ownerSigningKey, "folder-state", signedMessage(stateBytes, binding));
	const plaintext = new Uint8Array(stateBytes.length + SIGNATURE_BYTES);
	plaintext.set(stateBytes, 0);
	plaintext.set(signature, stateBytes.length);
	return toBase64url(
		sealBox({
			key,
			purpose: "folder-state",
			boundTo: { vault: binding.vaultId, folder: binding.folderId },
			plaintext,
		}),
	);
}

/**
 * Opens a sealed state, checks its owner's signature and that it carries the sequence number
 * the server stored it under. Throws FolderStateError when it was altered, sealed or signed
 * for another folder, signed by someone else, or mislabelled. A version 1 state (saved before
 * states were signed) opens with `signed: false`.
 */
export function openFolderState(
	sealed: { seq: number; sealedState: string },
	key: BoxKey,
	binding: FolderStateBinding,
	ownerKey: SigningPublicKey,
): OpenedFolderState {
	let plaintext: Uint8Array;
	try {
		plaintext = openBox({
			key,
			purpose: "folder-state",
			boundTo: { vault: binding.vaultId, folder: binding.folderId },
			box: fromBase64url(sealed.sealedState),
		});
	} catch {
		throw new FolderStateError("This folder's saved contents do not verify.");
	}
	const signed = plaintext[0] === FOLDER_STATE_VERSION;
	let stateBytes = plaintext;
	if (signed) {
		stateBytes = plaintext.subarray(0, Math.max(0, plaintext.length - SIGNATURE_BYTES));
		const signature = plaintext.subarray(stateBytes.length);
		if (!verifySignature(ownerKey, "folder-state", signedMessage(stateBytes, binding), signature))
			throw new FolderStateError(
				"This folder's saved contents are not signed by its owner: they may have been forged.",
			);
	}
	let state: FolderState;
	try {
		state = decodeFolderState(stateBytes);
	} catch {
		throw new FolderStateError("This folder's saved contents do not verify.");
	}
	if (state.seq !== sealed.seq)
		throw new FolderStateError("This folder's saved contents carry another sequence number.");
	return { ...state, signed };
}

/** A listed item as the server sent it, with the fields entries are made of. */
export interface ListedRow {
	id: string;
	kind: "folder" | "file";
	sealedName: string;
	wrappedNodeKey: string;
	/** For files: the newest committed version the server shows. */
	headVersionId?: string | null;
}

/** The entry a listed row would have (for files, with the newest version the row shows). */
export function entryOf(row: ListedRow): FolderEntry {
	const head = row.kind === "file" ? row.headVersionId : undefined;
	return {
		id: row.id,
		kind: row.kind,
		nameHash: fieldHash(row.sealedName),
		keyHash: fieldHash(row.wrappedNodeKey),
		...(head ? { head } : {}),
	};
}

/** How a listing differs from its folder's state. */
export interface ListingCheck {
	/** Rows that match their entry. */
	matching: Set<string>;
	/** Rows that are not in the state, or whose name, key or kind differs from their entry. */
	mismatched: Map<string, string>;
	/** Entries the listing left out. */
	omitted: FolderEntry[];
}

/** Compares the rows of a listing with the folder's state, newest file versions included. */
export function checkListing(rows: ListedRow[], state: FolderState): ListingCheck {
	const matching = new Set<string>();
	const mismatched = new Map<string, string>();
	for (const row of rows) {
		const entry = state.entries.get(row.id);
		if (!entry) {
			mismatched.set(row.id, "it is not among this folder's saved contents");
			continue;
		}
		const listed = entryOf(row);
		if (
			entry.kind !== listed.kind ||
			!equalBytes(entry.nameHash, listed.nameHash) ||
			!equalBytes(entry.keyHash, listed.keyHash)
		) {
			mismatched.set(row.id, "its name or key is not the one last saved");
			continue;
		}
		if (entry.kind === "file" && entry.head !== listed.head) {
			mismatched.set(row.id, "the server shows another version than its newest");
			continue;
		}
		matching.add(row.id);
	}
	const omitted = [...state.entries.values()].filter(
		(entry) => !matching.has(entry.id) && !mismatched.has(entry.id),
	);
	return { matching, mismatched, omitted };
}
