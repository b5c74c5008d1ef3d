// `identity`: find a person by handle and get their self-signed PublicIdentity, to pin it and
// share with them. The browser verifies the signature and compares it with what it pinned.
import { z } from "zod";
import { AppError } from "../errors";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import { toBase64Url, ZHandle } from "../validation";

const ZIdentity = z.object({
	userId: z.uuid(),
	handle: z.string(),
	displayName: z.string(),
	publicIdentity: z.string(),
});

export const identityRouter = createTRPCRouter({
	byHandle: protectedProcedure
		.input(z.object({ handle: ZHandle }).strict())
		.output(ZIdentity)
		.query(async ({ ctx, input }) => {
			const user = await ctx.db.user.findUnique({ where: { handle: input.handle } });
			if (!user)
				throw new AppError("NOT_FOUND", `Nobody on Coffre has the handle “${input.handle}”.`);
			return {
				userId: user.id,
				handle: user.handle,
				displayName: user.displayName,
				publicIdentity: toBase64Url(user.publicIdentity),
			};
		}),

	mine: protectedProcedure
		.input(z.object({}).strict().optional())
		.output(ZIdentity.extend({ sealedIdentitySecrets: z.string() }))
		.query(async ({ ctx }) => {
			const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.userId } });
			return {
				userId: user.id,
				handle: user.handle,
				displayName: user.displayName,
				publicIdentity: toBase64Url(user.publicIdentity),
				sealedIdentitySecrets: toBase64Url(user.sealedIdentitySecrets),
			};
		}),
});
