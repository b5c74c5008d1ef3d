// `links`: the public side of time-limited links (DESIGN §7), for a browser with no account.
// The link's secret is in the URL fragment and never sent here; these calls take the link id,
// signed re-encryption requests, and proofs of the link's keys. Rate-limited per client.
import { z } from "zod";
import { MAX_LINK_ACCESS_BYTES } from "../../crypto/sharing";
import { linkVersions, openLink, relayLinkReencryption } from "../services/sharing/links";
import { createTRPCRouter, publicProcedure } from "../trpc";
import { toBase64Url, zBytes } from "../validation";
import { toVersionOutput, ZFileVersion } from "./files";
import { toRelayResults, ZReceivedShare, ZRelayRequests, ZRelayResults } from "./shares";

export const linksRouter = createTRPCRouter({
	open: publicProcedure
		.input(z.object({ id: z.uuid() }).strict())
		.output(
			z.object({
				state: z.enum(["active", "expired", "revoked", "exhausted", "missing"]),
				expiresAt: z.date().optional(),
				link: ZReceivedShare.omit({ owner: true, expiresAt: true, createdAt: true })
					.extend({
						passwordSalt: z.string().nullable(),
						useLimit: z.number().int().nullable(),
						uses: z.number().int(),
						owner: z.object({ id: z.uuid(), publicIdentity: z.string() }),
					})
					.optional(),
			}),
		)
		.query(async ({ ctx, input }) => {
			const opened = await openLink(ctx, input);
			if (!("link" in opened) || !opened.link) return opened;
			const { link } = opened;
			return {
				...opened,
				link: {
					...link,
					capsule: toBase64Url(link.capsule),
					ciphertext: toBase64Url(link.ciphertext),
					policy: toBase64Url(link.policy),
					node: { ...link.node, sealedName: toBase64Url(link.node.sealedName) },
					passwordSalt: link.passwordSalt ? toBase64Url(link.passwordSalt) : null,
					owner: { ...link.owner, publicIdentity: toBase64Url(link.owner.publicIdentity) },
				},
			};
		}),

	reencrypt: publicProcedure
		.input(z.object({ id: z.uuid(), requests: ZRelayRequests }).strict())
		.output(ZRelayResults)
		.mutation(async ({ ctx, input }) => toRelayResults(await relayLinkReencryption(ctx, input))),

	versions: publicProcedure
		.input(
			z.object({ id: z.uuid(), proof: zBytes({ min: 10, max: MAX_LINK_ACCESS_BYTES }) }).strict(),
		)
		.output(z.array(ZFileVersion))
		.query(async ({ ctx, input }) => (await linkVersions(ctx, input)).map(toVersionOutput)),
});
