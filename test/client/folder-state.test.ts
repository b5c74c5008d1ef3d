// A folder's sealed state (DESIGN §9.3): it opens only for its vault and folder, with the
// sequence number it was stored under and its owner's signature, any changed byte is refused,
// its encoding is canonical, a state saved before states were signed still opens (marked
// unsigned), and a listing that leaves an item out, adds one, or shows an older name, key or
// version differs from it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	checkListing,
	decodeFolderState,
	encodeFolderState,
	entryOf,
	type FolderState,
	FolderStateError,
	type ListedRow,
	MAX_FOLDER_ENTRIES,
	openFolderState,
	sealFolderState,
} from "../../client/vault/folder-state";
import {
	FormatError,
	fromBase64url,
	generateIdentityKeys,
	generateKey,
	openBox,
	sealBox,
	toBase64url,
} from "../../crypto";
import { MAX_FOLDER_STATE_BYTES } from "../../server/services/vault/folder-states";
import { sealUnsignedFolderState } from "../helpers/folder-states";

const vaultId = "0b5c3c1e-4f7a-4c3e-9a55-1f2d3c4b5a69";
const folderId = "5f0e9d1c-2b3a-4c5d-8e7f-6a5b4c3d2e1f";
const binding = { vaultId, folderId };
const key = generateKey("NodeKey");
const owner = generateIdentityKeys();
/** Someone the folder is shared with: holds the folder's key, not the owner's signing key. */
const recipient = generateIdentityKeys();
const seal = (state: FolderState) => sealFolderState(state, key, binding, owner.signing);
const open = (sealed: { seq: number; sealedState: string }, k = key, b = binding) =>
	openFolderState(sealed, k, b, owner.signingPublicKey);

/** A state as browsers sealed it before states were signed (version 1, no signature). */
const sealUnsigned = (state: FolderState, folderKey = key) =>
	sealUnsignedFolderState(state, folderKey, binding);

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const field = (text: string) => toBase64url(new TextEncoder().encode(text.padEnd(48, "·")));

function row(n: number, kind: "folder" | "file" = "file", version = 1): ListedRow {
	return {
		id: uuid(n),
		kind,
		sealedName: field(`name ${n}`),
		wrappedNodeKey: field(`key ${n}`),
		...(kind === "file" ? { headVersionId: uuid(1000 + version) } : {}),
	};
}

function stateOf(rows: ListedRow[], seq = 3): FolderState {
	return { seq, entries: new Map(rows.map((r) => [r.id, entryOf(r)])) };
}

describe("folder state", () => {
	it("round-trips through its canonical encoding, whatever order entries were added in", () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 40 }),
				fc.integer({ min: 1, max: 2 ** 40 }),
				(ids, seq) => {
					const rows = ids.map((n) => row(n, n % 2 ? "file" : "folder"));
					const state = stateOf(rows, seq);
					const reversed = stateOf([...rows].reverse(), seq);
					const bytes = encodeFolderState(state);
					expect(encodeFolderState(reversed)).toEqual(bytes);
					const decoded = decodeFolderState(bytes);
					expect(decoded.seq).toBe(seq);
					expect([...decoded.entries.keys()].sort()).toEqual(ids.map(uuid).sort());
					for (const r of rows) expect(decoded.entries.get(r.id)).toEqual(entryOf(r));
				},
			),
			{ numRuns: 50 },
		);
	});

	it("refuses non-canonical bytes: unsorted, truncated, trailing, unknown kind or version", () => {
		const bytes = encodeFolderState(stateOf([row(1), row(2, "folder")]));
		const entryBytes = 16 + 1 + 64 + 16;
		// Swap the two entries (file first, 97 bytes; folder second, 81 bytes) by hand.
		const swapped = new Uint8Array(bytes.length);
		swapped.set(bytes.subarray(0, 13));
		swapped.set(bytes.subarray(13 + entryBytes), 13);
		swapped.set(bytes.subarray(13, 13 + entryBytes), bytes.length - entryBytes);
		expect(() => decodeFolderState(swapped)).toThrow(FormatError);
		expect(() => decodeFolderState(bytes.subarray(0, bytes.length - 1))).toThrow(FormatError);
		expect(() => decodeFolderState(Uint8Array.of(...bytes, 0))).toThrow(FormatError);
		const badKind = bytes.slice();
		badKind[13 + 16] = 7;
		expect(() => decodeFolderState(badKind)).toThrow(FormatError);
		const badVersion = bytes.slice();
		badVersion[0] = 3;
		expect(() => decodeFolderState(badVersion)).toThrow(/version 3/);
	});

	it("opens only for its vault and folder, under the seq it was stored with", () => {
		const state = stateOf([row(1), row(2, "folder")], 7);
		const sealed = { seq: 7, sealedState: seal(state) };
		const opened = open(sealed);
		expect(opened.seq).toBe(7);
		expect(opened.signed).toBe(true);
		expect(opened.entries.size).toBe(2);
		expect(() => open(sealed, key, { vaultId, folderId: uuid(99) })).toThrow(FolderStateError);
		expect(() => open(sealed, key, { vaultId: uuid(98), folderId })).toThrow(FolderStateError);
		expect(() => open(sealed, generateKey("NodeKey"))).toThrow(FolderStateError);
		// The server relabels an old state with a newer seq: refused.
		expect(() => open({ ...sealed, seq: 8 })).toThrow(/sequence/);
	});

	it("refuses a sealed state with any byte changed", () => {
		const sealed = seal(stateOf([row(1), row(2, "folder")]));
		const bytes = fromBase64url(sealed);
		for (let i = 0; i < bytes.length; i++) {
			const tampered = bytes.slice();
			tampered[i] = (tampered[i] as number) ^ 0x01;
			expect(() => open({ seq: 3, sealedState: toBase64url(tampered) })).toThrow(FolderStateError);
		}
	});

	it("refuses a state signed by anyone but the owner, though sealed under the right key", () => {
		const state = stateOf([row(1), row(2, "folder")]);
		// Someone the folder is shared with holds its key and can seal; only the owner signs.
		const forged = sealFolderState(state, key, binding, recipient.signing);
		expect(() => open({ seq: 3, sealedState: forged })).toThrow(/not signed by its owner/);
		// The owner's signature is bound to the folder: a signed state moved to another folder of
		// the same key (sealed again for it) does not verify there.
		const other = { vaultId, folderId: uuid(77) };
		const moved = sealFolderState(state, key, binding, owner.signing);
		const signedPlaintext = openBox({
			key,
			purpose: "folder-state",
			boundTo: { vault: vaultId, folder: folderId },
			box: fromBase64url(moved),
		});
		const resealed = toBase64url(
			sealBox({
				key,
				purpose: "folder-state",
				boundTo: { vault: other.vaultId, folder: other.folderId },
				plaintext: signedPlaintext,
			}),
		);
		expect(() => open({ seq: 3, sealedState: resealed }, key, other)).toThrow(
			/not signed by its owner/,
		);
		expect(open({ seq: 3, sealedState: moved }).signed).toBe(true);
	});

	it("fits the server's bound when the folder is full, signature included", () => {
		const full = stateOf(
			Array.from({ length: MAX_FOLDER_ENTRIES }, (_, i) => row(i + 1)),
			2 ** 40,
		);
		const sealed = fromBase64url(seal(full));
		expect(sealed.length).toBeLessThanOrEqual(MAX_FOLDER_STATE_BYTES);
		expect(open({ seq: 2 ** 40, sealedState: toBase64url(sealed) }).entries.size).toBe(
			MAX_FOLDER_ENTRIES,
		);
	});

	it("still opens a state saved before states were signed, marked unsigned", () => {
		const state = stateOf([row(1), row(2, "folder")], 4);
		const opened = open({ seq: 4, sealedState: sealUnsigned(state) });
		expect(opened.signed).toBe(false);
		expect([...opened.entries.keys()].sort()).toEqual([uuid(1), uuid(2)]);
		expect(() =>
			open({ seq: 4, sealedState: sealUnsigned(state, generateKey("NodeKey")) }),
		).toThrow(FolderStateError);
	});

	it("passes a listing that matches and names every difference of one that does not", () => {
		const rows = [row(1), row(2, "folder"), row(3), row(4)];
		const state = stateOf(rows);
		expect(checkListing(rows, state)).toMatchObject({ omitted: [], mismatched: new Map() });
		expect(checkListing(rows, state).matching.size).toBe(4);

		// Left out, injected, renamed back, re-keyed, older version, kind changed.
		const olderName = { ...(rows[0] as ListedRow), sealedName: field("old name 1") };
		const otherKey = { ...(rows[1] as ListedRow), wrappedNodeKey: field("other key 2") };
		const olderVersion = row(3, "file", 0);
		const listed = [olderName, otherKey, olderVersion, row(5)];
		const check = checkListing(listed, state);
		expect(check.omitted.map((entry) => entry.id)).toEqual([uuid(4)]);
		expect([...check.mismatched.keys()].sort()).toEqual([uuid(1), uuid(2), uuid(3), uuid(5)]);
		expect(check.mismatched.get(uuid(3))).toMatch(/version/);
		expect(check.mismatched.get(uuid(5))).toMatch(/not among/);
		expect(check.matching.size).toBe(0);
		const asFolder = { ...(rows[0] as ListedRow), kind: "folder" as const };
		expect(checkListing([asFolder], state).mismatched.has(uuid(1))).toBe(true);
	});

	it("refuses to encode what it could not decode", () => {
		expect(() => encodeFolderState({ seq: 0, entries: new Map() })).toThrow(FormatError);
		const fileWithoutHead = { ...entryOf(row(1)), head: undefined };
		expect(() =>
			encodeFolderState({ seq: 1, entries: new Map([[fileWithoutHead.id, fileWithoutHead]]) }),
		).toThrow(FormatError);
		const many = Array.from({ length: 1001 }, (_, n) => row(n + 1, "folder"));
		expect(() => encodeFolderState(stateOf(many))).toThrow(/at most 1000/);
	});
});
