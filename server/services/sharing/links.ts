// Time-limited links as the server serves them, to anyone who has the URL (DESIGN §7). The
// secret is in the URL fragment and never reaches the server: it answers with the link's public
// parts (capsule, ciphertext, signed policy, proxies, password salt), relays re-encryption
// requests signed with the link's key, and serves the file's versions only to a browser that
// proves it holds that key. Ended links say why (expired, revoked, download limit reached).
import { AppError } from "../../errors";
import type { Context } from "../../trpc";
import { listVersions } from "../files/uploads";
import { consumeRateLimit, type RateLimitRule } from "../rate-limit";
import { requireLinkAccess } from "./read-access";
import { effectiveState, forgetShare, receivedShareView, relayReencryption } from "./shares";

/** Header carrying a link access proof on shard downloads (crypto/sharing link-access). */
export const LINK_PROOF_HEADER = "x-coffre-link-proof";
/** Link page calls per client address: generous for real use, a wall for guessing ids. */
export const LINK_LIMIT: RateLimitRule = { limit: 300, windowMs: 5 * 60_000 };

const limit = (ctx: Context) =>
	consumeRateLimit(ctx.db, `link:${ctx.clientKey}`, LINK_LIMIT, ctx.now());

/** A link's state and, while it is active, what its page needs to open it. */
export async function openLink(ctx: Context, { id }: { id: string }) {
	await limit(ctx);
	const link = await ctx.db.share.findUnique({
		where: { id },
		include: {
			owner: { select: { id: true, handle: true, displayName: true, publicIdentity: true } },
			node: { select: { id: true, parentId: true, kind: true, sealedName: true, vaultId: true } },
			proxies: { select: { peerId: true } },
		},
	});
	if (link?.kind !== "link") return { state: "missing" as const };
	const state = effectiveState(link, ctx.now());
	// A link found past its expiry is forgotten now rather than at the next sweep.
	if (state === "expired" && link.state === "active") await forgetShare(ctx, id, "expired");
	if (state !== "active" || !link.policy) return { state, expiresAt: link.expiresAt };
	const view = receivedShareView(link);
	return {
		state,
		expiresAt: link.expiresAt,
		link: {
			id: view.id,
			capsule: view.capsule,
			ciphertext: view.ciphertext,
			policy: view.policy,
			node: view.node,
			proxies: view.proxies,
			// The file's manifests are signed by the owner: the page checks them against this
			// self-signed identity (and that its user id is the manifests' author).
			owner: { id: link.owner.id, publicIdentity: link.owner.publicIdentity },
			passwordSalt: link.passwordSalt,
			useLimit: link.useLimit,
			uses: link.uses,
		},
	};
}

/** Proxy refusals (p2p/wire/status names) that mean a link has ended, and its state then. */
const ENDINGS = {
	USE_LIMIT_REACHED: "exhausted",
	SHARE_EXPIRED: "expired",
	REVOKED: "revoked",
} as const;

/**
 * Relays a link page's signed requests to the proxies. A link whose proxies all say it ended
 * (limit reached, expired, revoked) is recorded as ended and its keys forgotten.
 */
export async function relayLinkReencryption(
	ctx: Context,
	{ id, requests }: { id: string; requests: { peerId: string; request: Uint8Array }[] },
) {
	await limit(ctx);
	const link = await ctx.db.share.findUnique({ where: { id } });
	if (link?.kind !== "link" || effectiveState(link, ctx.now()) !== "active")
		throw new AppError("NOT_FOUND", "This link does not exist or has ended.");
	const results = await relayReencryption(ctx, link, requests);
	const served = results.filter((result) => result.cfrag).length;
	if (served > 0) {
		await ctx.db.share.update({ where: { id }, data: { uses: { increment: 1 } } });
	} else {
		const reasons = new Set(results.map((result) => result.refused ?? ""));
		for (const [reason, state] of Object.entries(ENDINGS)) {
			if (reasons.size === 1 && reasons.has(reason)) {
				await forgetShare(ctx, id, state);
				break;
			}
		}
	}
	return results;
}

/** The linked file's versions, for a browser that proves it holds the link's keys. */
export async function linkVersions(ctx: Context, { id, proof }: { id: string; proof: Uint8Array }) {
	await limit(ctx);
	const link = await requireLinkAccess(ctx, id, proof);
	return listVersions(ctx, { fileId: link.nodeId }, { via: "link", linkId: id, proof });
}

/**
 * The scheduled clean-up: shares and links whose time is up lose their keys, policy and
 * proxies (the proxies delete their kfrags on their own); only their state stays.
 */
export async function expireShares(ctx: Context): Promise<number> {
	const ended = await ctx.db.share.findMany({
		where: { state: "active", expiresAt: { lte: ctx.now() } },
		select: { id: true },
		take: 1000,
	});
	for (const { id } of ended) await forgetShare(ctx, id, "expired");
	return ended.length;
}
