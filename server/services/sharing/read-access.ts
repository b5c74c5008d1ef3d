// Who may read an item (names, versions, shards): its owner; the recipient of an active share
// of it or of a folder above it; or, for a link, a browser that proves it holds the link's keys
// (a fresh signature by the requester key the link's signed policy names). Anything else
// answers NOT_FOUND, revealing nothing.
import { signingPublicKeyFromBytes } from "../../../crypto";
import { verifyLinkAccess, verifySharePolicy } from "../../../crypto/sharing";
import { AppError } from "../../errors";
import type { Context } from "../../trpc";
import { requireOwnNode } from "../vault/access";
import { MAX_DEPTH } from "../vault/nodes";
import { effectiveState } from "./shares";

/** How a request reads: as the owner, through a share with the caller, or through a link. */
export type ReadAccess =
	| { via: "owner"; userId: string }
	| { via: "share"; userId: string; shareId: string }
	| { via: "link"; linkId: string; proof: Uint8Array };

const NOT_FOUND = () => new AppError("NOT_FOUND", "No such file or folder.");

/** True when `nodeId` is `rootId` or below it, with nothing on the way in the trash. */
async function isWithin(ctx: Context, rootId: string, nodeId: string): Promise<boolean> {
	let current: string | null = nodeId;
	for (let depth = 0; current && depth <= MAX_DEPTH; depth++) {
		const node: { parentId: string | null; trashedAt: Date | null } | null =
			await ctx.db.vaultNode.findUnique({
				where: { id: current },
				select: { parentId: true, trashedAt: true },
			});
		if (!node || node.trashedAt) return false;
		if (current === rootId) return true;
		current = node.parentId;
	}
	return false;
}

/** An active link, after checking the caller's proof against its policy's requester key. */
export async function requireLinkAccess(ctx: Context, linkId: string, proof: Uint8Array) {
	const link = await ctx.db.share.findUnique({ where: { id: linkId } });
	if (link?.kind !== "link" || !link.policy || effectiveState(link, ctx.now()) !== "active")
		throw new AppError("NOT_FOUND", "This link does not exist or has ended.");
	try {
		const policy = verifySharePolicy(link.policy);
		verifyLinkAccess(proof, {
			linkId,
			requesterPk: signingPublicKeyFromBytes(policy.requesterPk),
			now: ctx.now().getTime(),
		});
	} catch {
		throw new AppError("FORBIDDEN", "This link's key does not match. Open the link again.");
	}
	return link;
}

/** The node, when `access` may read it; NOT_FOUND otherwise. */
export async function requireReadableNode(ctx: Context, nodeId: string, access: ReadAccess) {
	if (access.via === "owner") return requireOwnNode(ctx.db, access.userId, nodeId);
	let rootId: string;
	if (access.via === "share") {
		const share = await ctx.db.share.findUnique({ where: { id: access.shareId } });
		if (
			share?.kind !== "user" ||
			share.recipientId !== access.userId ||
			effectiveState(share, ctx.now()) !== "active"
		)
			throw new AppError("NOT_FOUND", "This share does not exist or has ended.");
		rootId = share.nodeId;
	} else {
		rootId = (await requireLinkAccess(ctx, access.linkId, access.proof)).nodeId;
	}
	if (!(await isWithin(ctx, rootId, nodeId))) throw NOT_FOUND();
	const node = await ctx.db.vaultNode.findUnique({ where: { id: nodeId } });
	if (!node) throw NOT_FOUND();
	return node;
}
