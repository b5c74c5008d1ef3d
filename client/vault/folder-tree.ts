// The vault's folders and files as the browser sees them: every name is opened with the item's
// own NodeKey, which is unwrapped with its parent's key — both bound to the item's id and its
// parent (the vault id at the top level). An item the server swapped, moved or injected fails
// those checks and is reported as unverifiable instead of being shown (DESIGN §9.2–3). Each
// listing is also checked against the folder's sealed state (./folder-state.ts), which catches
// items left out and older names, keys or versions; every change sends the folder's next state.
import {
	asWrapped,
	fromBase64url,
	fromUtf8,
	generateKey,
	type NodeKey,
	type NodeParentKey,
	openBox,
	sealBox,
	toBase64url,
	unwrapNodeKey,
	utf8,
	wrapNodeKey,
} from "../../crypto";
import type { ApiClient } from "../api";
import {
	checkListing,
	entryOf,
	type FolderEntry,
	type FolderState,
	FolderStateError,
} from "./folder-state";
import {
	changeFolders,
	type FolderChange,
	firstFolderState,
	loadFolderState,
	saveFirstFolderState,
	signOldFolderState,
} from "./folder-sync";
import type { OpenVault } from "./personal-vault";

/** Longest name accepted, in UTF-8 bytes (as common file systems allow). */
export const MAX_NAME_BYTES = 255;

export interface FolderRef {
	/** null for the vault's top level. */
	id: string | null;
	key: NodeParentKey;
}

export interface VaultItem {
	id: string;
	parentId: string | null;
	kind: "folder" | "file";
	name: string;
	key: NodeKey;
	createdAt: Date;
	updatedAt: Date;
	trashedAt: Date | null;
	/**
	 * For files: the newest version's size in bytes, as the server lists it (shown only; a
	 * download checks the size against the version's signed manifest).
	 */
	size?: number;
	/** The key of the folder it is in (the one that opened it), for items opened from a listing. */
	parentKey?: NodeParentKey;
	/** The item's fields as stored, for items opened from their owner's vault. */
	stored?: StoredFields;
}

/** What a folder's state records of an item: its stored name and key, its newest version. */
export interface StoredFields {
	sealedName: string;
	wrappedNodeKey: string;
	/** For files: the newest committed version. */
	headVersionId: string | null;
}

/** One folder's listing, checked: items that verify, items that do not, and items left out. */
export interface FolderListing {
	items: VaultItem[];
	unverifiable: UnverifiableItem[];
	/** Items the folder's sealed state holds but the server did not list. */
	omitted: number;
}

/** An item whose key or name did not verify: shown as a warning, never opened. */
export interface UnverifiableItem {
	id: string;
	reason: string;
}

export class InvalidNameError extends Error {
	override name = "InvalidNameError";
}

/** Checks a name a person typed; returns it trimmed. */
export function validateName(name: string): string {
	const trimmed = name.trim();
	if (!trimmed) throw new InvalidNameError("Please enter a name.");
	if (utf8(trimmed).length > MAX_NAME_BYTES)
		throw new InvalidNameError(`Names can be at most ${MAX_NAME_BYTES} bytes long.`);
	const forbidden = [...trimmed].some(
		(char) => char === "/" || char === "\\" || (char.codePointAt(0) ?? 0) < 0x20,
	);
	if (forbidden) throw new InvalidNameError("Names cannot contain slashes or control characters.");
	return trimmed;
}

/** The parent id items are bound to: their folder, or the vault itself at the top level. */
const bindingParent = (vault: OpenVault, parentId: string | null) => parentId ?? vault.id;

function sealName(nodeKey: NodeKey, name: string, nodeId: string, parent: string): string {
	return toBase64url(
		sealBox({
			key: nodeKey,
			purpose: "node-name",
			boundTo: { node: nodeId, parent },
			plaintext: utf8(name),
		}),
	);
}

type ListedRow = Awaited<ReturnType<ApiClient["vault"]["list"]["query"]>>[number];
/** A row of any listing (the owner's listings also carry each file's newest version). */
type NodeRow = Omit<ListedRow, "headVersionId" | "headVersionSize"> & {
	headVersionId?: string | null;
	headVersionSize?: number | null;
};

type SealedNode = Pick<NodeRow, "id" | "parentId" | "wrappedNodeKey" | "sealedName">;

/**
 * Opens an item's name with the item's own key; it is bound to the item and to `parent`, the id
 * of its folder (the vault id at the top level). Throws when it does not verify.
 */
export function openNodeName(
	key: NodeKey,
	row: Pick<SealedNode, "id" | "sealedName">,
	parent: string,
): string {
	return fromUtf8(
		openBox({
			key,
			purpose: "node-name",
			boundTo: { node: row.id, parent },
			box: fromBase64url(row.sealedName),
		}),
	);
}

function openKeyAndName(
	row: SealedNode,
	parentKey: NodeParentKey,
	parent: string,
): { key: NodeKey; name: string } {
	const key = unwrapNodeKey(asWrapped("NodeKey", fromBase64url(row.wrappedNodeKey)), parentKey, {
		nodeId: row.id,
		parentId: parent,
	});
	return { key, name: openNodeName(key, row, parent) };
}

/** Opens one item with its folder's key; throws when its key or name does not verify. */
function openItem(row: NodeRow, parentKey: NodeParentKey, parent: string): VaultItem {
	const { key, name } = openKeyAndName(row, parentKey, parent);
	return {
		id: row.id,
		parentId: row.parentId,
		kind: row.kind,
		name,
		key,
		createdAt: row.createdAt,
		updatedAt: row.updatedAt,
		trashedAt: row.trashedAt,
		parentKey,
		...(typeof row.headVersionSize === "number" ? { size: row.headVersionSize } : {}),
		...(row.headVersionId !== undefined
			? {
					stored: {
						sealedName: row.sealedName,
						wrappedNodeKey: row.wrappedNodeKey,
						headVersionId: row.headVersionId,
					},
				}
			: {}),
	};
}

/** The folder-state entry of an item opened from its owner's listing. */
function entryOfItem(item: VaultItem): FolderEntry {
	return entryOf({ id: item.id, kind: item.kind, ...storedFieldsOf(item) });
}

/**
 * Opens the rows of one folder's listing with the folder's key. `boundParent` is the id the
 * children are bound to (the folder's id, or the vault id at the top level). Rows the server
 * listed under another folder, or whose key or name does not verify, are returned apart.
 */
export function openListing(
	rows: NodeRow[],
	folder: FolderRef,
	boundParent: string,
): { items: VaultItem[]; unverifiable: UnverifiableItem[] } {
	const items: VaultItem[] = [];
	const unverifiable: UnverifiableItem[] = [];
	for (const row of rows) {
		// The server must only return children of the folder asked for.
		if (row.parentId !== folder.id) {
			unverifiable.push({ id: row.id, reason: "listed in the wrong folder" });
			continue;
		}
		try {
			items.push(openItem(row, folder.key, boundParent));
		} catch {
			unverifiable.push({ id: row.id, reason: "its key or name does not verify" });
		}
	}
	return { items, unverifiable };
}

/**
 * Lists a folder, opening every name and checking the listing against the folder's sealed
 * state: items that do not verify or differ from it are returned apart, items it holds that
 * the server left out are counted. Throws FolderStateError when the state itself does not
 * verify or is older than one this browser has seen.
 */
export async function listFolder(
	api: ApiClient,
	vault: OpenVault,
	folder: FolderRef,
): Promise<FolderListing> {
	const [rows, state] = await Promise.all([
		api.vault.list.query({ vaultId: vault.id, parentId: folder.id }),
		loadFolderState(api, vault, folder),
	]);
	const opened = openListing(rows, folder, bindingParent(vault, folder.id));
	if (state === null) {
		// Made before folder states existed: its first state is what verifies now.
		await saveFirstFolderState(api, vault, folder, opened.items.map(entryOfItem));
		return { ...opened, omitted: 0 };
	}
	// Saved before states were signed: the same contents are signed now.
	if (!state.signed) await signOldFolderState(api, vault, folder, state);
	return checkedListing(opened, rows, state);
}

/**
 * A listing opened with `openListing`, checked against its folder's state: only items that
 * match their entry are kept, the others join the unverifiable ones, left-out ones are counted.
 */
export function checkedListing(
	opened: { items: VaultItem[]; unverifiable: UnverifiableItem[] },
	rows: NodeRow[],
	state: FolderState,
): FolderListing {
	const check = checkListing(rows, state);
	const unverifiable = [...opened.unverifiable];
	for (const [id, reason] of check.mismatched) {
		if (!unverifiable.some((item) => item.id === id)) unverifiable.push({ id, reason });
	}
	return {
		items: opened.items.filter((item) => check.matching.has(item.id)),
		unverifiable,
		omitted: check.omitted.length,
	};
}

/** The entries of a folder as its listing shows them, for a folder that has no state yet. */
async function listedEntries(
	api: ApiClient,
	vault: OpenVault,
	folder: FolderRef,
): Promise<FolderEntry[]> {
	const rows = await api.vault.list.query({ vaultId: vault.id, parentId: folder.id });
	return openListing(rows, folder, bindingParent(vault, folder.id)).items.map(entryOfItem);
}

/** A change to `folder`'s entries, for changeFolders. */
export function folderChange(
	api: ApiClient,
	vault: OpenVault,
	folder: FolderRef,
	apply: (entries: Map<string, FolderEntry>) => void,
): FolderChange {
	return { folder, apply, currentEntries: () => listedEntries(api, vault, folder) };
}

/** Folder `parentId` with its key, unwrapped down its chain from the vault key. */
export async function parentFolder(
	api: ApiClient,
	vault: OpenVault,
	parentId: string | null,
): Promise<FolderRef> {
	return { id: parentId, key: await folderKey(api, vault, parentId) };
}

/**
 * The folder an item is in, with its key: the key that opened the item when it came from a
 * listing (no request), looked up down the folder chain otherwise.
 */
export function folderOfItem(
	api: ApiClient,
	vault: OpenVault,
	item: VaultItem,
): Promise<FolderRef> {
	return item.parentKey
		? Promise.resolve({ id: item.parentId, key: item.parentKey })
		: parentFolder(api, vault, item.parentId);
}

export async function createFolder(
	api: ApiClient,
	vault: OpenVault,
	parent: FolderRef,
	name: string,
): Promise<FolderRef & { id: string }> {
	const clean = validateName(name);
	const id = crypto.randomUUID();
	const key = generateKey("NodeKey");
	const boundParent = bindingParent(vault, parent.id);
	const sealedName = sealName(key, clean, id, boundParent);
	const wrappedNodeKey = toBase64url(
		wrapNodeKey(key, parent.key, { nodeId: id, parentId: boundParent }),
	);
	const entry = entryOf({ id, kind: "folder", sealedName, wrappedNodeKey });
	await changeFolders(
		api,
		vault,
		[folderChange(api, vault, parent, (entries) => entries.set(id, entry))],
		(states) =>
			api.vault.createFolder.mutate({
				vaultId: vault.id,
				id,
				parentId: parent.id,
				sealedName,
				wrappedNodeKey,
				// The new folder starts with an empty state of its own.
				states: [...states, firstFolderState(vault, { id, key }, [])],
			}),
	);
	return { id, key };
}

/**
 * The folder at `segments` below `base` (e.g. ["Taxes", "2026"] for an uploaded folder's
 * relative path), reusing folders that exist and creating the rest. `cache` spares repeated
 * listings within one upload.
 */
export async function ensureFolderPath(
	api: ApiClient,
	vault: OpenVault,
	base: FolderRef,
	segments: string[],
	cache = new Map<string, FolderRef>(),
): Promise<FolderRef> {
	let current = base;
	let path = "";
	for (const segment of segments) {
		path = `${path}/${segment}`;
		const cached = cache.get(path);
		if (cached) {
			current = cached;
			continue;
		}
		const { items } = await listFolder(api, vault, current);
		const existing = items.find((item) => item.kind === "folder" && item.name === segment);
		current = existing
			? { id: existing.id, key: existing.key }
			: await createFolder(api, vault, current, segment);
		cache.set(path, current);
	}
	return current;
}

export async function renameItem(
	api: ApiClient,
	vault: OpenVault,
	item: VaultItem,
	name: string,
): Promise<void> {
	const clean = validateName(name);
	const sealedName = sealName(item.key, clean, item.id, bindingParent(vault, item.parentId));
	const renamed = entryOfItem({ ...item, stored: { ...storedFieldsOf(item), sealedName } });
	await changeFolders(
		api,
		vault,
		[
			folderChange(api, vault, await folderOfItem(api, vault, item), (entries) =>
				entries.set(item.id, renamed),
			),
		],
		(states) => api.vault.rename.mutate({ id: item.id, sealedName, states }),
	);
}

/**
 * The newest of a file's versions as the server lists them, checked against the version its
 * folder's state names (for items from their owner's listing): a server that hides the newest
 * version is caught here. When the list starts with a version newer than the one the listing
 * showed (committed since, in this window or another), the folder's current state must name
 * it. Throws FolderStateError.
 */
export async function newestVersion<V extends { id: string }>(
	api: ApiClient,
	vault: OpenVault,
	item: VaultItem,
	versions: V[],
): Promise<V | undefined> {
	const newest = versions[0];
	const listed = item.stored?.headVersionId;
	if (!listed || newest?.id === listed) return newest;
	const state = await loadFolderState(api, vault, await folderOfItem(api, vault, item));
	if (newest && state?.entries.get(item.id)?.head === newest.id) return newest;
	throw new FolderStateError(
		"The server did not offer this file's newest version, so it was not opened.",
	);
}

/** The stored fields of an item opened from its owner's vault. */
export function storedFieldsOf(item: VaultItem): StoredFields {
	if (!item.stored) throw new Error("this item was not opened from its owner's vault");
	return item.stored;
}

/** Moves an item: its key is re-wrapped under the new folder's key and its name re-bound. */
export async function moveItem(
	api: ApiClient,
	vault: OpenVault,
	item: VaultItem,
	destination: FolderRef,
): Promise<void> {
	const boundParent = bindingParent(vault, destination.id);
	const sealedName = sealName(item.key, item.name, item.id, boundParent);
	const wrappedNodeKey = toBase64url(
		wrapNodeKey(item.key, destination.key, { nodeId: item.id, parentId: boundParent }),
	);
	const moved = entryOfItem({
		...item,
		stored: { ...storedFieldsOf(item), sealedName, wrappedNodeKey },
	});
	const changes =
		item.parentId === destination.id
			? [folderChange(api, vault, destination, (entries) => entries.set(item.id, moved))]
			: [
					folderChange(api, vault, await folderOfItem(api, vault, item), (entries) =>
						entries.delete(item.id),
					),
					folderChange(api, vault, destination, (entries) => entries.set(item.id, moved)),
				];
	await changeFolders(api, vault, changes, (states) =>
		api.vault.move.mutate({
			id: item.id,
			parentId: destination.id,
			sealedName,
			wrappedNodeKey,
			states,
		}),
	);
}

/** The key of folder `folderId`, unwrapped down its chain from the vault key. */
async function folderKey(
	api: ApiClient,
	vault: OpenVault,
	folderId: string | null,
): Promise<NodeParentKey> {
	if (!folderId) return vault.key;
	let key: NodeParentKey = vault.key;
	let parentId: string | null = null;
	for (const row of await api.vault.path.query({ id: folderId })) {
		if (row.parentId !== parentId) throw new Error("The server returned a broken folder chain.");
		key = openItem(row, key, bindingParent(vault, row.parentId)).key;
		parentId = row.id;
	}
	if (parentId !== folderId) throw new Error("The server returned a broken folder chain.");
	return key;
}

/**
 * Opens the key and name of one item wherever it sits, unwrapping keys down its folder chain
 * (e.g. the file of an interrupted upload). Throws when a key or the name does not verify.
 */
export async function openSealedNode(
	api: ApiClient,
	vault: OpenVault,
	row: SealedNode,
): Promise<{ key: NodeKey; name: string }> {
	return openKeyAndName(
		row,
		await folderKey(api, vault, row.parentId),
		bindingParent(vault, row.parentId),
	);
}

/** Everything in the trash, with names opened through each item's folder chain. */
export async function listTrash(api: ApiClient, vault: OpenVault): Promise<FolderListing> {
	const rows = await api.vault.list.query({ vaultId: vault.id, parentId: null, trashed: true });
	const items: VaultItem[] = [];
	const unverifiable: UnverifiableItem[] = [];
	const keys = new Map<string | null, Promise<NodeParentKey>>();
	for (const row of rows) {
		try {
			if (!keys.has(row.parentId)) keys.set(row.parentId, folderKey(api, vault, row.parentId));
			items.push(
				openItem(
					row,
					await (keys.get(row.parentId) as Promise<NodeParentKey>),
					bindingParent(vault, row.parentId),
				),
			);
		} catch {
			unverifiable.push({ id: row.id, reason: "its key or name does not verify" });
		}
	}
	// The trash spans folders and has no state of its own: nothing can be counted as left out.
	return { items, unverifiable, omitted: 0 };
}

/** Moves an item to the trash: it leaves its folder's state. */
export async function trashItem(api: ApiClient, vault: OpenVault, item: VaultItem): Promise<void> {
	await changeFolders(
		api,
		vault,
		[
			folderChange(api, vault, await folderOfItem(api, vault, item), (entries) =>
				entries.delete(item.id),
			),
		],
		(states) => api.vault.trash.mutate({ id: item.id, states }),
	);
}

/** Brings an item back from the trash into its folder's state. */
export async function restoreItem(
	api: ApiClient,
	vault: OpenVault,
	item: VaultItem,
): Promise<void> {
	const entry = entryOfItem(item);
	await changeFolders(
		api,
		vault,
		[
			folderChange(api, vault, await folderOfItem(api, vault, item), (entries) =>
				entries.set(item.id, entry),
			),
		],
		(states) => api.vault.restore.mutate({ id: item.id, states }),
	);
}
export const deleteItemForever = (api: ApiClient, item: VaultItem) =>
	api.vault.deleteForever.mutate({ id: item.id });
