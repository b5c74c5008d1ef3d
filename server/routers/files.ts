// `files`: uploading versions (start, commit; list, inspect, continue or give up interrupted
// uploads) and listing a file's versions for download. Shard bytes go through the HTTP gateway
// (app/api/chunks), not tRPC; an upload's PUT of a chunk also places it.
import { z } from "zod";
import { storageUsage } from "../services/files/storage-usage";
import {
	abandonUpload,
	commitVersion,
	listPendingUploads,
	listVersions,
	MAX_SHARD_BYTES,
	MAX_STATE_CHUNKS,
	startUpload,
	uploadState,
} from "../services/files/uploads";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import { toBase64Url, zBytes, zSealedName, zWrappedKey } from "../validation";
import { zFolderStates } from "./vault";

const MAX_FILE_BYTES = 64 * 2 ** 30;
/** A sealed stream header plus a file name of up to 255 bytes and two numbers, with room. */
const MAX_UPLOAD_STATE_BYTES = 2048;

/** A committed version as the browser gets it (for its own files, shares and links). */
export const ZFileVersion = z.object({
	id: z.uuid(),
	seq: z.number().int(),
	size: z.number().int(),
	chunkSize: z.number().int(),
	chunkCount: z.number().int(),
	dataShards: z.number().int(),
	parityShards: z.number().int(),
	sealedManifest: z.string(),
	committedAt: z.date(),
	storedShards: z.array(z.object({ chunkIndex: z.number().int(), shardIndex: z.number().int() })),
});

export const toVersionOutput = (
	version: Awaited<ReturnType<typeof listVersions>>[number],
): z.infer<typeof ZFileVersion> => ({
	...version,
	sealedManifest: toBase64Url(version.sealedManifest),
});

export const filesRouter = createTRPCRouter({
	startUpload: protectedProcedure
		.input(
			z
				.object({
					vaultId: z.uuid(),
					fileId: z.uuid(),
					parentId: z.uuid().nullable(),
					newFile: z
						.object({
							sealedName: zSealedName(),
							wrappedNodeKey: zWrappedKey(),
						})
						.optional(),
					versionId: z.uuid(),
					sealedUploadState: zBytes({ min: 48, max: MAX_UPLOAD_STATE_BYTES }),
					size: z.number().int().min(0).max(MAX_FILE_BYTES),
					chunkSize: z.number().int().min(1024).max(MAX_SHARD_BYTES),
					chunkCount: z.number().int().min(1),
					dataShards: z.number().int().min(1).max(31),
					parityShards: z.number().int().min(1).max(31),
				})
				.strict(),
		)
		.output(z.object({ seq: z.number().int() }))
		.mutation(({ ctx, input }) => startUpload(ctx, input)),

	commit: protectedProcedure
		.input(
			z
				.object({
					versionId: z.uuid(),
					sealedManifest: zBytes({ min: 48, max: 768 * 1024 }),
					states: zFolderStates(),
				})
				.strict(),
		)
		.output(z.object({ ok: z.literal(true) }))
		.mutation(async ({ ctx, input }) => {
			await commitVersion(ctx, input);
			return { ok: true as const };
		}),

	pendingUploads: protectedProcedure
		.input(z.object({ vaultId: z.uuid() }).strict())
		.output(
			z.array(
				z.object({
					versionId: z.uuid(),
					fileId: z.uuid(),
					parentId: z.uuid().nullable(),
					sealedName: z.string(),
					wrappedNodeKey: z.string(),
					newFile: z.boolean(),
					size: z.number().int(),
					chunkSize: z.number().int(),
					chunkCount: z.number().int(),
					dataShards: z.number().int(),
					parityShards: z.number().int(),
					sealedUploadState: z.string(),
					startedAt: z.date(),
					chunksStored: z.number().int(),
				}),
			),
		)
		.query(async ({ ctx, input }) =>
			(await listPendingUploads(ctx, input)).map((upload) => ({
				...upload,
				sealedName: toBase64Url(upload.sealedName),
				wrappedNodeKey: toBase64Url(upload.wrappedNodeKey),
				sealedUploadState: toBase64Url(upload.sealedUploadState),
			})),
		),

	uploadState: protectedProcedure
		.input(
			z
				.object({
					versionId: z.uuid(),
					fromChunk: z.number().int().min(0),
					count: z.number().int().min(1).max(MAX_STATE_CHUNKS),
				})
				.strict(),
		)
		.output(
			z.array(
				z.object({
					chunkIndex: z.number().int(),
					shardIndex: z.number().int(),
					root: z.string(),
					size: z.number().int(),
					stored: z.boolean(),
				}),
			),
		)
		.query(async ({ ctx, input }) =>
			(await uploadState(ctx, input)).map(({ root, state, ...placement }) => ({
				...placement,
				root: toBase64Url(root),
				stored: state === "stored",
			})),
		),

	abandonUpload: protectedProcedure
		.input(z.object({ versionId: z.uuid() }).strict())
		.output(z.object({ ok: z.literal(true) }))
		.mutation(async ({ ctx, input }) => {
			await abandonUpload(ctx, input);
			return { ok: true as const };
		}),

	/** Storage used by the caller's files (all versions, the trash included) and allowed. */
	storageUsage: protectedProcedure
		.output(z.object({ usedBytes: z.number().int().min(0), quotaBytes: z.number().int().min(0) }))
		.query(({ ctx }) => storageUsage(ctx.db, ctx.userId, ctx.storageQuotaBytes)),

	versions: protectedProcedure
		.input(z.object({ fileId: z.uuid() }).strict())
		.output(z.array(ZFileVersion))
		.query(async ({ ctx, input }) =>
			(await listVersions(ctx, input, { via: "owner", userId: ctx.userId })).map(toVersionOutput),
		),
});
