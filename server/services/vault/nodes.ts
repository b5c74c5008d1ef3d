// Folders and files of a vault as the server sees them: ids, kinds, parents, timestamps and
// opaque sealed names and wrapped keys. Moving re-wraps (the browser sends the new wrap and the
// name re-sealed for the new parent); a move can never create a cycle or leave the vault.
import type { DatabaseClient } from "../../db";
import { AppError } from "../../errors";
import type { Context } from "../../trpc";
import { releaseShards, STORED_SHARD_FIELDS } from "../files/release-shards";
import { requireOwnNode, requireOwnVault } from "./access";

type UserContext = Context & { userId: string };

/** Deepest folder nesting accepted (also bounds the cycle check). */
export const MAX_DEPTH = 64;
/** Most items returned by one listing. */
export const MAX_LISTING = 1000;
/**
 * Most items one folder holds: a listing shows them all, and the folder's sealed state (which
 * the browser keeps to at most as many entries) can name every one.
 */
export const MAX_FOLDER_ITEMS = MAX_LISTING;

/**
 * A file shows once its first version has committed; until then it is an interrupted or
 * running upload (files.pendingUploads), not a file one could open.
 */
export const VISIBLE = {
	OR: [{ kind: "folder" }, { versions: { some: { state: "committed" } } }],
};

export const NODE_FIELDS = {
	id: true,
	vaultId: true,
	parentId: true,
	kind: true,
	sealedName: true,
	wrappedNodeKey: true,
	createdAt: true,
	updatedAt: true,
	trashedAt: true,
} as const;

/** Selects a file's newest committed version, which its folder's sealed state names. */
export const NEWEST_COMMITTED = {
	where: { state: "committed" },
	orderBy: { seq: "desc" },
	take: 1,
	select: { id: true, size: true },
} as const;

/**
 * Rows selected with `versions: NEWEST_COMMITTED`, with that version as `headVersionId` and its
 * plaintext size (which the server knows, DESIGN §9) as `headVersionSize`.
 */
export const withHeadVersion = <R extends { versions: { id: string; size: bigint }[] }>(
	rows: R[],
) =>
	rows.map(({ versions, ...row }) => ({
		...row,
		headVersionId: versions[0]?.id ?? null,
		headVersionSize: versions[0] ? Number(versions[0].size) : null,
	}));

/** The folder chain from `nodeId` up to the vault's top level (nodeId first). */
async function ancestry(ctx: UserContext, nodeId: string): Promise<string[]> {
	const chain: string[] = [];
	let current: string | null = nodeId;
	while (current) {
		if (chain.length > MAX_DEPTH)
			throw new AppError("BAD_INPUT", `Folders can be nested at most ${MAX_DEPTH} deep.`);
		chain.push(current);
		const node: { parentId: string | null } | null = await ctx.db.vaultNode.findUnique({
			where: { id: current },
			select: { parentId: true },
		});
		current = node?.parentId ?? null;
	}
	return chain;
}

async function requireFolder(ctx: UserContext, vaultId: string, folderId: string) {
	const folder = await requireOwnNode(ctx.db, ctx.userId, folderId);
	if (folder.vaultId !== vaultId || folder.kind !== "folder")
		throw new AppError("BAD_INPUT", "The destination is not a folder of this vault.");
	if (folder.trashedAt) throw new AppError("CONFLICT", "The destination folder is in the trash.");
	return folder;
}

/**
 * The folders from the vault's top level down to `id` (inclusive), so a browser can unwrap
 * keys down the chain — e.g. to show the name of an item in the trash.
 */
export async function pathTo(ctx: UserContext, { id }: { id: string }) {
	const node = await requireOwnNode(ctx.db, ctx.userId, id);
	const chain = await ancestry(ctx, node.id);
	const rows = await ctx.db.vaultNode.findMany({
		where: { id: { in: chain }, vaultId: node.vaultId },
		select: NODE_FIELDS,
	});
	const byId = new Map(rows.map((row) => [row.id, row]));
	return chain
		.reverse()
		.map((nodeId) => byId.get(nodeId))
		.filter((row) => row !== undefined);
}

export async function listChildren(
	ctx: UserContext,
	{
		vaultId,
		parentId,
		trashed = false,
	}: { vaultId: string; parentId: string | null; trashed?: boolean },
) {
	await requireOwnVault(ctx.db, ctx.userId, vaultId);
	const rows = await ctx.db.vaultNode.findMany({
		where: trashed
			? { vaultId, trashedAt: { not: null }, ...VISIBLE }
			: { vaultId, parentId, trashedAt: null, ...VISIBLE },
		select: {
			...NODE_FIELDS,
			versions: NEWEST_COMMITTED,
		},
		orderBy: { createdAt: "asc" },
		take: MAX_LISTING,
	});
	return withHeadVersion(rows);
}

/**
 * Refuses to add one more item to a full folder (null: the vault's top level), before anything
 * is stored or sent. Items still uploading count: each may become visible.
 */
export async function requireRoomInFolder(
	db: DatabaseClient,
	vaultId: string,
	parentId: string | null,
): Promise<void> {
	const held = await db.vaultNode.count({ where: { vaultId, parentId, trashedAt: null } });
	if (held >= MAX_FOLDER_ITEMS)
		throw new AppError(
			"BAD_INPUT",
			`This folder already holds ${MAX_FOLDER_ITEMS.toLocaleString("en")} items, the most one folder can (unfinished uploads count too). Make a subfolder for more.`,
		);
}

export async function createFolder(
	ctx: UserContext,
	input: {
		vaultId: string;
		id: string;
		parentId: string | null;
		sealedName: Uint8Array<ArrayBuffer>;
		wrappedNodeKey: Uint8Array<ArrayBuffer>;
	},
) {
	await requireOwnVault(ctx.db, ctx.userId, input.vaultId);
	if (input.parentId) {
		await requireFolder(ctx, input.vaultId, input.parentId);
		if ((await ancestry(ctx, input.parentId)).length >= MAX_DEPTH) {
			throw new AppError("BAD_INPUT", `Folders can be nested at most ${MAX_DEPTH} deep.`);
		}
	}
	await requireRoomInFolder(ctx.db, input.vaultId, input.parentId);
	const now = ctx.now();
	return ctx.db.vaultNode
		.create({
			data: { ...input, kind: "folder", createdAt: now, updatedAt: now },
			select: NODE_FIELDS,
		})
		.catch((error: unknown) => {
			if ((error as { code?: string }).code === "P2002")
				throw new AppError("CONFLICT", "That item id is taken.");
			throw error;
		});
}

export async function renameNode(
	ctx: UserContext,
	{ id, sealedName }: { id: string; sealedName: Uint8Array<ArrayBuffer> },
) {
	await requireOwnNode(ctx.db, ctx.userId, id);
	return ctx.db.vaultNode.update({
		where: { id },
		data: { sealedName, updatedAt: ctx.now() },
		select: NODE_FIELDS,
	});
}

export async function moveNode(
	ctx: UserContext,
	{
		id,
		parentId,
		sealedName,
		wrappedNodeKey,
	}: {
		id: string;
		parentId: string | null;
		sealedName: Uint8Array<ArrayBuffer>;
		wrappedNodeKey: Uint8Array<ArrayBuffer>;
	},
) {
	const node = await requireOwnNode(ctx.db, ctx.userId, id);
	if (parentId) {
		await requireFolder(ctx, node.vaultId, parentId);
		if ((await ancestry(ctx, parentId)).includes(id)) {
			throw new AppError(
				"BAD_INPUT",
				"A folder cannot be moved into itself or one of its subfolders.",
			);
		}
	}
	if (parentId !== node.parentId) await requireRoomInFolder(ctx.db, node.vaultId, parentId);
	return ctx.db.vaultNode.update({
		where: { id },
		data: { parentId, sealedName, wrappedNodeKey, updatedAt: ctx.now() },
		select: NODE_FIELDS,
	});
}

export async function trashNode(ctx: UserContext, { id }: { id: string }) {
	await requireOwnNode(ctx.db, ctx.userId, id);
	return ctx.db.vaultNode.update({
		where: { id },
		data: { trashedAt: ctx.now() },
		select: NODE_FIELDS,
	});
}

export async function restoreNode(ctx: UserContext, { id }: { id: string }) {
	const node = await requireOwnNode(ctx.db, ctx.userId, id);
	if (!node.trashedAt) throw new AppError("CONFLICT", "This item is not in the trash.");
	if (node.parentId) {
		const parent = await ctx.db.vaultNode.findUnique({
			where: { id: node.parentId },
			select: { trashedAt: true },
		});
		if (parent?.trashedAt)
			throw new AppError("CONFLICT", "Restore the folder that contains this item first.");
	}
	await requireRoomInFolder(ctx.db, node.vaultId, node.parentId);
	return ctx.db.vaultNode.update({ where: { id }, data: { trashedAt: null }, select: NODE_FIELDS });
}

/** The ids of `id` and every item below it. */
async function subtree(ctx: UserContext, id: string): Promise<string[]> {
	const ids = [id];
	for (let level = [id]; level.length > 0; ) {
		const children = await ctx.db.vaultNode.findMany({
			where: { parentId: { in: level } },
			select: { id: true },
		});
		level = children.map((child) => child.id);
		ids.push(...level);
	}
	return ids;
}

/**
 * Deletes a trashed item and everything below it, for good, then asks the storage nodes to
 * delete their shards (best effort: a node that is down drops them when their lease expires).
 */
export async function deleteNode(ctx: UserContext, { id }: { id: string }): Promise<void> {
	const node = await requireOwnNode(ctx.db, ctx.userId, id);
	if (!node.trashedAt)
		throw new AppError("CONFLICT", "Move the item to the trash before deleting it for good.");
	const ids = await subtree(ctx, id);
	const placements = await ctx.db.shardPlacement.findMany({
		where: { version: { nodeId: { in: ids } }, state: "stored" },
		select: STORED_SHARD_FIELDS,
	});
	await ctx.db.$transaction([
		ctx.db.vaultNode.delete({ where: { id } }),
		ctx.db.folderState.deleteMany({ where: { vaultId: node.vaultId, folderId: { in: ids } } }),
	]);
	await releaseShards(ctx, placements);
}
