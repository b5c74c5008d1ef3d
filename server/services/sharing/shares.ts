// Shares as the server keeps and relays them (DESIGN §7). The owner's browser makes everything;
// the server checks the signed policy, stores one kfrag on each proxy node (with a kfrag ticket
// from the coordinator) and keeps the capsule, ciphertext and policy for the recipient. It
// relays re-encryption requests and revocations, and can open none of it. Recipients read only
// inside the shared item (a folder share covers everything below it).
import { verifyPublicIdentity } from "../../../crypto";
import { chooseNodes } from "../../coordinator/placement";
import { AppError } from "../../errors";
import type { ShardGateway } from "../../gateway/shard-gateway";
import type { Context } from "../../trpc";
import { requireOwnNode } from "../vault/access";
import {
	MAX_LISTING,
	NEWEST_COMMITTED,
	NODE_FIELDS,
	VISIBLE,
	withHeadVersion,
} from "../vault/nodes";
import { requireReadableNode } from "./read-access";
import { checkSharePolicy } from "./share-policy-check";

type UserContext = Context & { userId: string };

/** Most shares listed at once. */
export const MAX_SHARES_LISTED = 500;

async function gatewayOf(ctx: Context): Promise<ShardGateway> {
	if (!ctx.shardGateway)
		throw new AppError("UNAVAILABLE", "The storage network is not reachable from this server.");
	return ctx.shardGateway();
}

/** Proxy candidates for a new share: distinct nodes with their encryption keys. */
export async function chooseProxies(ctx: Context, { count }: { count: number }) {
	const chosen = await chooseNodes(ctx.db, { count }).catch((error: unknown) => {
		throw error instanceof AppError && error.code === "UNAVAILABLE"
			? new AppError(
					"UNAVAILABLE",
					`Sharing needs ${count} storage nodes online to hold its keys, and fewer are. Please try again later.`,
					{ cause: error },
				)
			: error;
	});
	const nodes = await ctx.db.storageNode.findMany({
		where: { peerId: { in: chosen.map((node) => node.peerId) } },
		select: { peerId: true, encryptionPublicKey: true },
	});
	return nodes.map((node) => ({
		peerId: node.peerId,
		encryptionPublicKey: new Uint8Array(node.encryptionPublicKey),
	}));
}

export interface CreateShareInput {
	id: string;
	nodeId: string;
	kind: "user" | "link";
	recipientId?: string;
	capsule: Uint8Array<ArrayBuffer>;
	ciphertext: Uint8Array<ArrayBuffer>;
	policy: Uint8Array<ArrayBuffer>;
	sealedShareKey: Uint8Array<ArrayBuffer>;
	passwordSalt?: Uint8Array<ArrayBuffer>;
	kfrags: { peerId: string; sealedKFrag: Uint8Array<ArrayBuffer> }[];
}

/**
 * Checks and records a share, storing its kfrags on their proxies. At least t proxies must
 * accept their kfrag, or the share is not created (and those that did are told to revoke by
 * the owner's next revocation — they also drop it at expiry).
 */
export async function createShare(ctx: UserContext, input: CreateShareInput) {
	const node = await requireOwnNode(ctx.db, ctx.userId, input.nodeId);
	if (node.trashedAt) throw new AppError("CONFLICT", "Items in the trash cannot be shared.");
	if (input.kind === "link" && node.kind !== "file")
		throw new AppError("BAD_INPUT", "Links share one file; share folders with people.");
	const policy = checkSharePolicy(
		{ id: input.id, policy: input.policy, capsule: input.capsule, proxies: input.kfrags.length },
		ctx.now(),
	);
	if (new Set(input.kfrags.map((kfrag) => kfrag.peerId)).size !== input.kfrags.length)
		throw new AppError("BAD_INPUT", "Each kfrag must go to a different proxy.");
	if (input.kind === "user") {
		if (!input.recipientId) throw new AppError("BAD_INPUT", "A share with a person names them.");
		if (input.recipientId === ctx.userId)
			throw new AppError("BAD_INPUT", "You already have access to your own files.");
		const recipient = await ctx.db.user.findUnique({ where: { id: input.recipientId } });
		if (!recipient) throw new AppError("NOT_FOUND", "Nobody on Coffre has that account.");
		// The kfrags must re-encrypt to this person's identity, and only they may ask.
		const identity = verifyPublicIdentity(recipient.publicIdentity);
		if (
			!Buffer.from(policy.receivingPk.toBytes()).equals(
				Buffer.from(identity.encryptionPublicKey),
			) ||
			!Buffer.from(policy.requesterPk).equals(Buffer.from(identity.signingPublicKey))
		)
			throw new AppError("BAD_INPUT", "The share is not made out to this person's keys.");
	}
	const proxies = await ctx.db.storageNode.findMany({
		where: { peerId: { in: input.kfrags.map((kfrag) => kfrag.peerId) } },
		select: { peerId: true, addresses: true },
	});
	if (proxies.length !== input.kfrags.length)
		throw new AppError("BAD_INPUT", "A kfrag names a storage node that is not registered.");
	const existing = await ctx.db.share.findUnique({ where: { id: input.id } });
	if (existing) throw new AppError("CONFLICT", "This share id is taken; make the share again.");

	const gateway = await gatewayOf(ctx);
	const byPeer = new Map(proxies.map((proxy) => [proxy.peerId, proxy]));
	const results = await Promise.allSettled(
		input.kfrags.map((kfrag) =>
			gateway.storeKFrag(byPeer.get(kfrag.peerId) as (typeof proxies)[number], {
				shareId: policy.shareId,
				policy: input.policy,
				sealedKFrag: kfrag.sealedKFrag,
			}),
		),
	);
	const stored = input.kfrags.filter((_, i) => results[i]?.status === "fulfilled");
	if (stored.length < policy.threshold) {
		const refused = results.find((result) => result.status === "rejected") as
			| PromiseRejectedResult
			| undefined;
		const reason = (refused?.reason as { statusName?: string } | undefined)?.statusName;
		throw new AppError(
			reason && reason !== "UNAVAILABLE" ? "BAD_INPUT" : "UNAVAILABLE",
			reason && reason !== "UNAVAILABLE"
				? `The storage nodes refused this share (${reason.toLowerCase().replaceAll("_", " ")}).`
				: "Too few storage nodes could take this share. Please try again in a moment.",
			{ cause: refused?.reason },
		);
	}
	await ctx.db.share.create({
		data: {
			id: input.id,
			ownerId: ctx.userId,
			nodeId: input.nodeId,
			kind: input.kind,
			recipientId: input.kind === "user" ? (input.recipientId ?? null) : null,
			capsule: input.capsule,
			ciphertext: input.ciphertext,
			policy: input.policy,
			sealedShareKey: input.sealedShareKey,
			passwordSalt: input.passwordSalt ?? null,
			expiresAt: new Date(policy.expiresAt),
			useLimit: policy.useLimit > 0 ? policy.useLimit : null,
			createdAt: ctx.now(),
			proxies: { create: stored.map((kfrag) => ({ peerId: kfrag.peerId })) },
		},
	});
	return { id: input.id, proxies: stored.length };
}

/** The caller's shares and links, newest first, with what the owner's page shows. */
export async function listOwnShares(ctx: UserContext) {
	const shares = await ctx.db.share.findMany({
		where: { ownerId: ctx.userId },
		orderBy: { createdAt: "desc" },
		take: MAX_SHARES_LISTED,
		include: {
			node: {
				select: { id: true, parentId: true, kind: true, sealedName: true, wrappedNodeKey: true },
			},
			recipient: { select: { handle: true, displayName: true } },
		},
	});
	const now = ctx.now();
	return shares.map((share) => ({
		id: share.id,
		kind: share.kind as "user" | "link",
		node: share.node,
		recipient: share.recipient,
		expiresAt: share.expiresAt,
		useLimit: share.useLimit,
		uses: share.uses,
		hasPassword: share.passwordSalt !== null,
		state: effectiveState(share, now),
		createdAt: share.createdAt,
		sealedShareKey: share.sealedShareKey,
	}));
}

/** A share's state now: its recorded end, or "expired" once its time is up. */
export function effectiveState(
	share: { state: string; expiresAt: Date; useLimit: number | null; uses: number },
	now: Date,
): "active" | "expired" | "revoked" | "exhausted" {
	if (share.state !== "active") return share.state as "expired" | "revoked" | "exhausted";
	if (share.expiresAt.getTime() <= now.getTime()) return "expired";
	return "active";
}

/**
 * Revokes a share: relays the owner's signed revocation to its proxies (which delete their
 * kfrags) and forgets the keys and policy; only the share's state stays.
 */
export async function revokeShare(
	ctx: UserContext,
	{ id, revocation }: { id: string; revocation: Uint8Array },
) {
	const share = await ctx.db.share.findUnique({
		where: { id },
		include: { proxies: { include: { node: { select: { peerId: true, addresses: true } } } } },
	});
	if (!share || share.ownerId !== ctx.userId) throw new AppError("NOT_FOUND", "No such share.");
	if (share.state === "revoked") return { proxiesReached: 0 };
	const gateway = await gatewayOf(ctx);
	const results = await Promise.allSettled(
		share.proxies.map((proxy) => gateway.revokeShare(proxy.node, revocation)),
	);
	const refused = results.find(
		(result) =>
			result.status === "rejected" &&
			(result.reason as { statusName?: string }).statusName === "BAD_REQUEST_SIGNATURE",
	);
	if (refused) throw new AppError("BAD_INPUT", "The revocation is not signed by this share's key.");
	await forgetShare(ctx, id, "revoked");
	return { proxiesReached: results.filter((result) => result.status === "fulfilled").length };
}

/** Deletes a share's keys, policy and proxies, keeping its id, times and why it ended. */
export async function forgetShare(
	ctx: Context,
	id: string,
	state: "expired" | "revoked" | "exhausted",
) {
	await ctx.db.$transaction([
		ctx.db.shareProxy.deleteMany({ where: { shareId: id } }),
		ctx.db.share.update({
			where: { id },
			data: {
				state,
				capsule: null,
				ciphertext: null,
				policy: null,
				sealedShareKey: null,
				passwordSalt: null,
				...(state === "revoked" ? { revokedAt: ctx.now() } : {}),
			},
		}),
	]);
}

const RECEIVED_FIELDS = {
	id: true,
	kind: true,
	capsule: true,
	ciphertext: true,
	policy: true,
	expiresAt: true,
	createdAt: true,
	owner: { select: { id: true, handle: true, displayName: true, publicIdentity: true } },
	node: { select: { id: true, parentId: true, kind: true, sealedName: true, vaultId: true } },
	proxies: { select: { peerId: true } },
} as const;

/** Shares made to the caller that are still active, newest first. */
export async function listSharedWithMe(ctx: UserContext) {
	const shares = await ctx.db.share.findMany({
		where: {
			recipientId: ctx.userId,
			state: "active",
			expiresAt: { gt: ctx.now() },
			node: { trashedAt: null },
		},
		orderBy: { createdAt: "desc" },
		take: MAX_SHARES_LISTED,
		select: RECEIVED_FIELDS,
	});
	return shares.map(receivedShareView);
}

export function receivedShareView(share: {
	id: string;
	capsule: Uint8Array | null;
	ciphertext: Uint8Array | null;
	policy: Uint8Array | null;
	expiresAt: Date;
	createdAt: Date;
	owner: { id: string; handle: string; displayName: string; publicIdentity: Uint8Array };
	node: {
		id: string;
		parentId: string | null;
		kind: string;
		sealedName: Uint8Array;
		vaultId: string;
	};
	proxies: { peerId: string }[];
}) {
	return {
		id: share.id,
		capsule: share.capsule as Uint8Array,
		ciphertext: share.ciphertext as Uint8Array,
		policy: share.policy as Uint8Array,
		expiresAt: share.expiresAt,
		createdAt: share.createdAt,
		owner: share.owner,
		node: {
			id: share.node.id,
			kind: share.node.kind as "file" | "folder",
			// The item's names are bound to its parent (the vault id at the top level).
			bindingParent: share.node.parentId ?? share.node.vaultId,
			sealedName: share.node.sealedName,
		},
		proxies: share.proxies.map((proxy) => proxy.peerId),
	};
}

/** An active share the caller may read through (throws NOT_FOUND otherwise). */
export async function requireActiveShareFor(ctx: UserContext, shareId: string) {
	const share = await ctx.db.share.findUnique({ where: { id: shareId } });
	if (
		share?.kind !== "user" ||
		share.recipientId !== ctx.userId ||
		effectiveState(share, ctx.now()) !== "active"
	)
		throw new AppError("NOT_FOUND", "This share does not exist or has ended.");
	return share;
}

/** One proxy's answer: its capsule fragment, or why it refused. */
export interface RelayResult {
	peerId: string;
	cfrag?: Uint8Array;
	refused?: string;
}

/**
 * Relays signed re-encryption requests to the share's proxies in parallel; returns each
 * proxy's capsule fragment or the reason it refused. The browser verifies every fragment.
 */
export async function relayReencryption(
	ctx: Context,
	share: { id: string },
	requests: { peerId: string; request: Uint8Array }[],
) {
	const proxies = await ctx.db.shareProxy.findMany({
		where: { shareId: share.id },
		include: { node: { select: { peerId: true, addresses: true } } },
	});
	const byPeer = new Map(proxies.map((proxy) => [proxy.peerId, proxy.node]));
	const gateway = await gatewayOf(ctx);
	return Promise.all(
		requests.map(async ({ peerId, request }): Promise<RelayResult> => {
			const target = byPeer.get(peerId);
			if (!target) return { peerId, refused: "NOT_A_PROXY" };
			try {
				return { peerId, cfrag: await gateway.requestCFrag(target, request) };
			} catch (error) {
				return {
					peerId,
					refused: (error as { statusName?: string }).statusName ?? "UNAVAILABLE",
				};
			}
		}),
	);
}

/** A folder inside a share with the caller (NOT_FOUND otherwise). */
async function requireSharedFolder(
	ctx: UserContext,
	{ shareId, folderId }: { shareId: string; folderId: string },
) {
	const folder = await requireReadableNode(ctx, folderId, {
		via: "share",
		userId: ctx.userId,
		shareId,
	});
	if (folder.kind !== "folder") throw new AppError("BAD_INPUT", "This item is not a folder.");
	return folder;
}

/** The items of a folder inside a share with the caller. */
export async function listSharedFolder(
	ctx: UserContext,
	address: { shareId: string; folderId: string },
) {
	const folder = await requireSharedFolder(ctx, address);
	const rows = await ctx.db.vaultNode.findMany({
		where: { vaultId: folder.vaultId, parentId: folder.id, trashedAt: null, ...VISIBLE },
		select: { ...NODE_FIELDS, versions: NEWEST_COMMITTED },
		orderBy: { createdAt: "asc" },
		take: MAX_LISTING,
	});
	return withHeadVersion(rows);
}

/**
 * The owner's sealed state of a folder inside a share (the recipient holds the folder's key, so
 * can check the listing against it), with the vault it is bound to; state null when the folder
 * has none.
 */
export async function sharedFolderState(
	ctx: UserContext,
	address: { shareId: string; folderId: string },
) {
	const folder = await requireSharedFolder(ctx, address);
	const state = await ctx.db.folderState.findUnique({
		where: { vaultId_folderId: { vaultId: folder.vaultId, folderId: folder.id } },
		select: { seq: true, sealedState: true },
	});
	return { vaultId: folder.vaultId, state };
}
