// `vault`: the personal vault and its folders and files — opaque sealed names and wrapped keys,
// ids, parents and timestamps. Thin: validation here, logic in services/vault.
import { z } from "zod";
import { requireOwnNode } from "../services/vault/access";
import {
	getFolderState,
	MAX_FOLDER_STATE_BYTES,
	withFolderStates,
} from "../services/vault/folder-states";
import {
	createFolder,
	deleteNode,
	listChildren,
	moveNode,
	pathTo,
	renameNode,
	restoreNode,
	trashNode,
} from "../services/vault/nodes";
import { createPersonalVault, getPersonalVault } from "../services/vault/vaults";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import { toBase64Url, zBytes, zSealedName, zWrappedKey } from "../validation";

/** New sealed states of the folders a change touches (at most two: a move's source and target). */
export const zFolderStates = () =>
	z
		.array(
			z
				.object({
					folderId: z.uuid().nullable(),
					seq: z.number().int().min(1).max(2_000_000_000),
					sealedState: zBytes({ min: 48, max: MAX_FOLDER_STATE_BYTES }),
				})
				.strict(),
		)
		.max(2)
		.optional();

const ZVault = z.object({ id: z.uuid(), wrappedVaultKey: z.string(), createdAt: z.date() });

export const ZNode = z.object({
	id: z.uuid(),
	vaultId: z.uuid(),
	parentId: z.uuid().nullable(),
	kind: z.enum(["folder", "file"]),
	sealedName: z.string(),
	wrappedNodeKey: z.string(),
	createdAt: z.date(),
	updatedAt: z.date(),
	trashedAt: z.date().nullable(),
});

/** A listed item: for files, also the newest committed version and its size in bytes. */
export const ZListedNode = ZNode.extend({
	headVersionId: z.uuid().nullable(),
	headVersionSize: z.number().int().min(0).nullable(),
});

export const toListedNode = (
	row: NodeRow & { headVersionId: string | null; headVersionSize: number | null },
) => ({
	...toNode(row),
	headVersionId: row.headVersionId,
	headVersionSize: row.headVersionSize,
});

/** A folder's sealed state as the browser gets it. */
export const ZFolderState = z.object({ seq: z.number().int(), sealedState: z.string() });
export const toFolderState = (state: { seq: number; sealedState: Uint8Array } | null) =>
	state ? { seq: state.seq, sealedState: toBase64Url(state.sealedState) } : null;

type NodeRow = Omit<z.infer<typeof ZNode>, "sealedName" | "wrappedNodeKey" | "kind"> & {
	kind: string;
	sealedName: Uint8Array;
	wrappedNodeKey: Uint8Array;
};

export const toNode = (row: NodeRow): z.infer<typeof ZNode> => ({
	...row,
	kind: row.kind as "folder" | "file",
	sealedName: toBase64Url(row.sealedName),
	wrappedNodeKey: toBase64Url(row.wrappedNodeKey),
});

const toVault = (row: { id: string; wrappedVaultKey: Uint8Array; createdAt: Date }) => ({
	...row,
	wrappedVaultKey: toBase64Url(row.wrappedVaultKey),
});

/** withFolderStates for a change to one item, in the vault that item belongs to. */
async function withNodeFolderStates<T>(
	ctx: Parameters<typeof withFolderStates>[0],
	nodeId: string,
	states: Parameters<typeof withFolderStates>[2],
	change: Parameters<typeof withFolderStates<T>>[3],
): Promise<T> {
	if (!states || states.length === 0) return change(ctx);
	const node = await requireOwnNode(ctx.db, ctx.userId, nodeId);
	return withFolderStates(ctx, node.vaultId, states, change);
}

export const vaultRouter = createTRPCRouter({
	personal: protectedProcedure
		.input(z.object({}).strict().optional())
		.output(ZVault.nullable())
		.query(async ({ ctx }) => {
			const vault = await getPersonalVault(ctx);
			return vault ? toVault(vault) : null;
		}),

	createPersonal: protectedProcedure
		.input(z.object({ id: z.uuid(), wrappedVaultKey: zWrappedKey() }).strict())
		.output(ZVault)
		.mutation(async ({ ctx, input }) => toVault(await createPersonalVault(ctx, input))),

	list: protectedProcedure
		.input(
			z
				.object({
					vaultId: z.uuid(),
					parentId: z.uuid().nullable(),
					trashed: z.boolean().optional(),
				})
				.strict(),
		)
		.output(z.array(ZListedNode))
		.query(async ({ ctx, input }) => (await listChildren(ctx, input)).map(toListedNode)),

	path: protectedProcedure
		.input(z.object({ id: z.uuid() }).strict())
		.output(z.array(ZNode))
		.query(async ({ ctx, input }) => (await pathTo(ctx, input)).map(toNode)),

	folderState: protectedProcedure
		.input(z.object({ vaultId: z.uuid(), folderId: z.uuid().nullable() }).strict())
		.output(ZFolderState.nullable())
		.query(async ({ ctx, input }) => toFolderState(await getFolderState(ctx, input))),

	/**
	 * Stores a folder state on its own, without a change: the first state of a folder that had
	 * none (made from its verified listing), or the same contents signed again as the successor
	 * of a state saved before states were signed. Like every state, only as the successor of the
	 * stored one (CONFLICT otherwise).
	 */
	saveFolderState: protectedProcedure
		.input(z.object({ vaultId: z.uuid(), states: zFolderStates() }).strict())
		.output(z.object({ ok: z.literal(true) }))
		.mutation(async ({ ctx, input }) => {
			await withFolderStates(ctx, input.vaultId, input.states, async () => undefined);
			return { ok: true as const };
		}),

	createFolder: protectedProcedure
		.input(
			z
				.object({
					vaultId: z.uuid(),
					id: z.uuid(),
					parentId: z.uuid().nullable(),
					sealedName: zSealedName(),
					wrappedNodeKey: zWrappedKey(),
					states: zFolderStates(),
				})
				.strict(),
		)
		.output(ZNode)
		.mutation(async ({ ctx, input: { states, ...input } }) =>
			toNode(await withFolderStates(ctx, input.vaultId, states, (tx) => createFolder(tx, input))),
		),

	rename: protectedProcedure
		.input(z.object({ id: z.uuid(), sealedName: zSealedName(), states: zFolderStates() }).strict())
		.output(ZNode)
		.mutation(async ({ ctx, input: { states, ...input } }) =>
			toNode(await withNodeFolderStates(ctx, input.id, states, (tx) => renameNode(tx, input))),
		),

	move: protectedProcedure
		.input(
			z
				.object({
					id: z.uuid(),
					parentId: z.uuid().nullable(),
					sealedName: zSealedName(),
					wrappedNodeKey: zWrappedKey(),
					states: zFolderStates(),
				})
				.strict(),
		)
		.output(ZNode)
		.mutation(async ({ ctx, input: { states, ...input } }) =>
			toNode(await withNodeFolderStates(ctx, input.id, states, (tx) => moveNode(tx, input))),
		),

	trash: protectedProcedure
		.input(z.object({ id: z.uuid(), states: zFolderStates() }).strict())
		.output(ZNode)
		.mutation(async ({ ctx, input: { states, ...input } }) =>
			toNode(await withNodeFolderStates(ctx, input.id, states, (tx) => trashNode(tx, input))),
		),

	restore: protectedProcedure
		.input(z.object({ id: z.uuid(), states: zFolderStates() }).strict())
		.output(ZNode)
		.mutation(async ({ ctx, input: { states, ...input } }) =>
			toNode(await withNodeFolderStates(ctx, input.id, states, (tx) => restoreNode(tx, input))),
		),

	deleteForever: protectedProcedure
		.input(z.object({ id: z.uuid() }).strict())
		.output(z.object({ ok: z.literal(true) }))
		.mutation(async ({ ctx, input }) => {
			await deleteNode(ctx, input);
			return { ok: true as const };
		}),
});
