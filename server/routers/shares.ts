// `shares`: sharing with people (DESIGN §7). The owner gets proxy candidates, creates a share
// (kfrags relayed to the proxies), lists and revokes shares and links; a recipient lists what is
// shared with them, relays re-encryption requests, and reads inside a share. Thin: validation
// here, logic in services/sharing.
import { z } from "zod";
import { CAPSULE_BYTES, SIGNED_SHARE_POLICY_BYTES } from "../../crypto/sharing";
import { listVersions } from "../services/files/uploads";
import {
	chooseProxies,
	createShare,
	listOwnShares,
	listSharedFolder,
	listSharedWithMe,
	relayReencryption,
	requireActiveShareFor,
	revokeShare,
	sharedFolderState,
} from "../services/sharing/shares";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import { toBase64Url, zBytes, zWrappedKey } from "../validation";
import { toVersionOutput, ZFileVersion } from "./files";
import { toFolderState, toListedNode, ZFolderState, ZListedNode } from "./vault";

/** Most proxies of one share (t of n with n ≤ this). */
export const MAX_SHARE_PROXIES = 16;
const ZPeerId = z.string().min(1).max(128);
/** A sealed kfrag (crypto/sharing SEALED_KFRAG_BYTES), with room for later formats. */
const zSealedKFrag = () => zBytes({ min: 64, max: 1024 });
/** The Umbral DEM ciphertext of a 32-byte NodeKey, with room. */
const zShareCiphertext = () => zBytes({ min: 32, max: 256 });
/** A signed re-encryption request (crypto/sharing reencrypt-request), with room. */
const zRequest = () => zBytes({ min: 64, max: 512 });

export const ZRelayRequests = z
	.array(z.object({ peerId: ZPeerId, request: zRequest() }))
	.min(1)
	.max(MAX_SHARE_PROXIES);

export const ZRelayResults = z.array(
	z.object({ peerId: z.string(), cfrag: z.string().optional(), refused: z.string().optional() }),
);

export const toRelayResults = (
	results: Awaited<ReturnType<typeof relayReencryption>>,
): z.infer<typeof ZRelayResults> =>
	results.map((result) =>
		result.cfrag
			? { peerId: result.peerId, cfrag: toBase64Url(result.cfrag) }
			: { peerId: result.peerId, refused: result.refused ?? "UNAVAILABLE" },
	);

export const ZReceivedShare = z.object({
	id: z.uuid(),
	capsule: z.string(),
	ciphertext: z.string(),
	policy: z.string(),
	expiresAt: z.date(),
	createdAt: z.date(),
	owner: z.object({
		id: z.uuid(),
		handle: z.string(),
		displayName: z.string(),
		publicIdentity: z.string(),
	}),
	node: z.object({
		id: z.uuid(),
		kind: z.enum(["file", "folder"]),
		bindingParent: z.uuid(),
		sealedName: z.string(),
	}),
	proxies: z.array(z.string()),
});

export const sharesRouter = createTRPCRouter({
	proxies: protectedProcedure
		.input(z.object({ count: z.number().int().min(1).max(MAX_SHARE_PROXIES) }).strict())
		.output(z.array(z.object({ peerId: z.string(), encryptionPublicKey: z.string() })))
		.query(async ({ ctx, input }) =>
			(await chooseProxies(ctx, input)).map((proxy) => ({
				peerId: proxy.peerId,
				encryptionPublicKey: toBase64Url(proxy.encryptionPublicKey),
			})),
		),

	create: protectedProcedure
		.input(
			z
				.object({
					id: z.uuid(),
					nodeId: z.uuid(),
					kind: z.enum(["user", "link"]),
					recipientId: z.uuid().optional(),
					capsule: zBytes({ min: CAPSULE_BYTES, max: CAPSULE_BYTES }),
					ciphertext: zShareCiphertext(),
					policy: zBytes({ min: SIGNED_SHARE_POLICY_BYTES, max: SIGNED_SHARE_POLICY_BYTES }),
					sealedShareKey: zWrappedKey(),
					passwordSalt: zBytes({ min: 16, max: 64 }).optional(),
					kfrags: z
						.array(z.object({ peerId: ZPeerId, sealedKFrag: zSealedKFrag() }))
						.min(1)
						.max(MAX_SHARE_PROXIES),
				})
				.strict(),
		)
		.output(z.object({ id: z.uuid(), proxies: z.number().int() }))
		.mutation(({ ctx, input }) => createShare(ctx, input)),

	mine: protectedProcedure
		.input(z.object({}).strict().optional())
		.output(
			z.array(
				z.object({
					id: z.uuid(),
					kind: z.enum(["user", "link"]),
					node: z.object({
						id: z.uuid(),
						parentId: z.uuid().nullable(),
						kind: z.enum(["file", "folder"]),
						sealedName: z.string(),
						wrappedNodeKey: z.string(),
					}),
					recipient: z.object({ handle: z.string(), displayName: z.string() }).nullable(),
					expiresAt: z.date(),
					useLimit: z.number().int().nullable(),
					uses: z.number().int(),
					hasPassword: z.boolean(),
					state: z.enum(["active", "expired", "revoked", "exhausted"]),
					createdAt: z.date(),
					sealedShareKey: z.string().nullable(),
				}),
			),
		)
		.query(async ({ ctx }) =>
			(await listOwnShares(ctx)).map((share) => ({
				...share,
				node: {
					...share.node,
					kind: share.node.kind as "file" | "folder",
					sealedName: toBase64Url(share.node.sealedName),
					wrappedNodeKey: toBase64Url(share.node.wrappedNodeKey),
				},
				sealedShareKey: share.sealedShareKey ? toBase64Url(share.sealedShareKey) : null,
			})),
		),

	revoke: protectedProcedure
		.input(z.object({ id: z.uuid(), revocation: zBytes({ min: 64, max: 256 }) }).strict())
		.output(z.object({ proxiesReached: z.number().int() }))
		.mutation(({ ctx, input }) => revokeShare(ctx, input)),

	withMe: protectedProcedure
		.input(z.object({}).strict().optional())
		.output(z.array(ZReceivedShare))
		.query(async ({ ctx }) =>
			(await listSharedWithMe(ctx)).map((share) => ({
				...share,
				capsule: toBase64Url(share.capsule),
				ciphertext: toBase64Url(share.ciphertext),
				policy: toBase64Url(share.policy),
				owner: { ...share.owner, publicIdentity: toBase64Url(share.owner.publicIdentity) },
				node: { ...share.node, sealedName: toBase64Url(share.node.sealedName) },
			})),
		),

	reencrypt: protectedProcedure
		.input(z.object({ shareId: z.uuid(), requests: ZRelayRequests }).strict())
		.output(ZRelayResults)
		.mutation(async ({ ctx, input }) => {
			const share = await requireActiveShareFor(ctx, input.shareId);
			return toRelayResults(await relayReencryption(ctx, share, input.requests));
		}),

	children: protectedProcedure
		.input(z.object({ shareId: z.uuid(), folderId: z.uuid() }).strict())
		.output(z.array(ZListedNode))
		.query(async ({ ctx, input }) => (await listSharedFolder(ctx, input)).map(toListedNode)),

	folderState: protectedProcedure
		.input(z.object({ shareId: z.uuid(), folderId: z.uuid() }).strict())
		.output(z.object({ vaultId: z.uuid(), state: ZFolderState.nullable() }))
		.query(async ({ ctx, input }) => {
			const { vaultId, state } = await sharedFolderState(ctx, input);
			return { vaultId, state: toFolderState(state) };
		}),

	versions: protectedProcedure
		.input(z.object({ shareId: z.uuid(), fileId: z.uuid() }).strict())
		.output(z.array(ZFileVersion))
		.query(async ({ ctx, input }) =>
			(
				await listVersions(
					ctx,
					{ fileId: input.fileId },
					{ via: "share", userId: ctx.userId, shareId: input.shareId },
				)
			).map(toVersionOutput),
		),
});
