// A folder's sealed state (DESIGN §9.3): it opens only for its vault and folder and with the
// sequence number it was stored under, any changed byte is refused, its encoding is canonical,
// and a listing that leaves an item out, adds one, or shows an older name, key or version
// differs from it.
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
	openFolderState,
	sealFolderState,
} from "../../client/vault/folder-state";
import { FormatError, fromBase64url, generateKey, toBase64url } from "../../crypto";

const vaultId = "0b5c3c1e-4f7a-4c3e-9a55-1f2d3c4b5a69";
const folderId = "5f0e9d1c-2b3a-4c5d-8e7f-6a5b4c3d2e1f";
const binding = { vaultId, folderId };
const key = generateKey("NodeKey");

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
		badVersion[0] = 2;
		expect(() => decodeFolderState(badVersion)).toThrow(/version 2/);
	});

	it("opens only for its vault and folder, under the seq it was stored with", () => {
		const state = stateOf([row(1), row(2, "folder")], 7);
		const sealed = { seq: 7, sealedState: sealFolderState(state, key, binding) };
		const opened = openFolderState(sealed, key, binding);
		expect(opened.seq).toBe(7);
		expect(opened.entries.size).toBe(2);
		expect(() => openFolderState(sealed, key, { vaultId, folderId: uuid(99) })).toThrow(
			FolderStateError,
		);
		expect(() => openFolderState(sealed, key, { vaultId: uuid(98), folderId })).toThrow(
			FolderStateError,
		);
		expect(() => openFolderState(sealed, generateKey("NodeKey"), binding)).toThrow(
			FolderStateError,
		);
		// The server relabels an old state with a newer seq: refused.
		expect(() => openFolderState({ ...sealed, seq: 8 }, key, binding)).toThrow(/sequence/);
	});

	it("refuses a sealed state with any byte changed", () => {
		const sealed = sealFolderState(stateOf([row(1), row(2, "folder")]), key, binding);
		const bytes = fromBase64url(sealed);
		for (let i = 0; i < bytes.length; i++) {
			const tampered = bytes.slice();
			tampered[i] = (tampered[i] as number) ^ 0x01;
			expect(() =>
				openFolderState({ seq: 3, sealedState: toBase64url(tampered) }, key, binding),
			).toThrow(FolderStateError);
		}
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
