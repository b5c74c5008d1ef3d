// `vault`: the personal vault and its folders and files — opaque sealed names and wrapped keys,
// ids, parents and timestamps. Thin: validation here, logic in services/vault.
import { z } from "zod";
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
import { toBase64Url, zSealedName, zWrappedKey } from "../validation";

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
		.output(z.array(ZNode))
		.query(async ({ ctx, input }) => (await listChildren(ctx, input)).map(toNode)),

	path: protectedProcedure
		.input(z.object({ id: z.uuid() }).strict())
		.output(z.array(ZNode))
		.query(async ({ ctx, input }) => (await pathTo(ctx, input)).map(toNode)),

	createFolder: protectedProcedure
		.input(
			z
				.object({
					vaultId: z.uuid(),
					id: z.uuid(),
					parentId: z.uuid().nullable(),
					sealedName: zSealedName(),
					wrappedNodeKey: zWrappedKey(),
				})
				.strict(),
		)
		.output(ZNode)
		.mutation(async ({ ctx, input }) => toNode(await createFolder(ctx, input))),

	rename: protectedProcedure
		.input(z.object({ id: z.uuid(), sealedName: zSealedName() }).strict())
		.output(ZNode)
		.mutation(async ({ ctx, input }) => toNode(await renameNode(ctx, input))),

	move: protectedProcedure
		.input(
			z
				.object({
					id: z.uuid(),
					parentId: z.uuid().nullable(),
					sealedName: zSealedName(),
					wrappedNodeKey: zWrappedKey(),
				})
				.strict(),
		)
		.output(ZNode)
		.mutation(async ({ ctx, input }) => toNode(await moveNode(ctx, input))),

	trash: protectedProcedure
		.input(z.object({ id: z.uuid() }).strict())
		.output(ZNode)
		.mutation(async ({ ctx, input }) => toNode(await trashNode(ctx, input))),

	restore: protectedProcedure
		.input(z.object({ id: z.uuid() }).strict())
		.output(ZNode)
		.mutation(async ({ ctx, input }) => toNode(await restoreNode(ctx, input))),

	deleteForever: protectedProcedure
		.input(z.object({ id: z.uuid() }).strict())
		.output(z.object({ ok: z.literal(true) }))
		.mutation(async ({ ctx, input }) => {
			await deleteNode(ctx, input);
			return { ok: true as const };
		}),
});
