// `audit`: the signed-in user's own security events, newest first, with the chain's state.
import { z } from "zod";
import { verifyAuditChain } from "../services/audit-log";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const auditRouter = createTRPCRouter({
	list: protectedProcedure
		.input(
			z
				.object({
					limit: z.number().int().min(1).max(200).default(50),
					beforeSeq: z.number().int().min(1).optional(),
				})
				.strict(),
		)
		.output(
			z.object({
				chainIntact: z.boolean(),
				events: z.array(
					z.object({
						seq: z.number().int(),
						kind: z.string(),
						createdAt: z.date(),
						details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
					}),
				),
			}),
		)
		.query(async ({ ctx, input }) => {
			const events = await ctx.db.auditEvent.findMany({
				where: { userId: ctx.userId, ...(input.beforeSeq ? { seq: { lt: input.beforeSeq } } : {}) },
				orderBy: { seq: "desc" },
				take: input.limit,
			});
			return {
				chainIntact: await verifyAuditChain(ctx.db, ctx.userId),
				events: events.map((event) => ({
					seq: event.seq,
					kind: event.kind,
					createdAt: event.createdAt,
					details: event.details as Record<string, string | number | boolean | null>,
				})),
			};
		}),
});
