// The vault's folders and files as the browser sees them: every name is opened with the item's
// own NodeKey, which is unwrapped with its parent's key — both bound to the item's id and its
// parent (the vault id at the top level). An item the server swapped, moved or injected fails
// those checks and is reported as unverifiable instead of being shown (DESIGN §9.2–3).
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

type NodeRow = Awaited<ReturnType<ApiClient["vault"]["list"]["query"]>>[number];

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
	};
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

/** Lists a folder, opening every name; unverifiable items are returned apart. */
export async function listFolder(
	api: ApiClient,
	vault: OpenVault,
	folder: FolderRef,
): Promise<{ items: VaultItem[]; unverifiable: UnverifiableItem[] }> {
	const rows = await api.vault.list.query({ vaultId: vault.id, parentId: folder.id });
	return openListing(rows, folder, bindingParent(vault, folder.id));
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
	await api.vault.createFolder.mutate({
		vaultId: vault.id,
		id,
		parentId: parent.id,
		sealedName: sealName(key, clean, id, boundParent),
		wrappedNodeKey: toBase64url(
			wrapNodeKey(key, parent.key, { nodeId: id, parentId: boundParent }),
		),
	});
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
	await api.vault.rename.mutate({
		id: item.id,
		sealedName: sealName(item.key, clean, item.id, bindingParent(vault, item.parentId)),
	});
}

/** Moves an item: its key is re-wrapped under the new folder's key and its name re-bound. */
export async function moveItem(
	api: ApiClient,
	vault: OpenVault,
	item: VaultItem,
	destination: FolderRef,
): Promise<void> {
	const boundParent = bindingParent(vault, destination.id);
	await api.vault.move.mutate({
		id: item.id,
		parentId: destination.id,
		sealedName: sealName(item.key, item.name, item.id, boundParent),
		wrappedNodeKey: toBase64url(
			wrapNodeKey(item.key, destination.key, { nodeId: item.id, parentId: boundParent }),
		),
	});
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

/** Everything in the trash, with names opened through each item's folder chain. */
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

export async function listTrash(
	api: ApiClient,
	vault: OpenVault,
): Promise<{ items: VaultItem[]; unverifiable: UnverifiableItem[] }> {
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
	return { items, unverifiable };
}

export const trashItem = (api: ApiClient, item: VaultItem) =>
	api.vault.trash.mutate({ id: item.id });
export const restoreItem = (api: ApiClient, item: VaultItem) =>
	api.vault.restore.mutate({ id: item.id });
export const deleteItemForever = (api: ApiClient, item: VaultItem) =>
	api.vault.deleteForever.mutate({ id: item.id });
