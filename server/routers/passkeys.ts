// `passkeys`: the signed-in user's passkeys — list, add, rename, remove.
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { ZUnlock } from "../services/accounts/key-material";
import {
	finishAddPasskey,
	listPasskeys,
	removePasskey,
	renamePasskey,
	startAddPasskey,
} from "../services/accounts/passkeys";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import { ZPasskeyName, ZRegistrationResponse } from "../validation";

const ZCredentialId = z
	.string()
	.min(1)
	.max(1366)
	.regex(/^[A-Za-z0-9_-]+$/);

export const passkeysRouter = createTRPCRouter({
	list: protectedProcedure
		.input(z.object({}).strict().optional())
		.output(
			z.array(
				z.object({
					id: z.string(),
					name: z.string(),
					createdAt: z.date(),
					lastUsedAt: z.date().nullable(),
					backedUp: z.boolean(),
					unlocksWith: z.enum(["prf", "passphrase"]),
				}),
			),
		)
		.query(({ ctx }) => listPasskeys(ctx)),

	startAdd: protectedProcedure
		.input(z.object({}).strict().optional())
		.output(z.record(z.string(), z.unknown()))
		.mutation(
			async ({ ctx }) => (await startAddPasskey(ctx)) as unknown as Record<string, unknown>,
		),

	finishAdd: protectedProcedure
		.input(
			z
				.object({
					registration: ZRegistrationResponse,
					name: ZPasskeyName,
					unlock: ZUnlock.optional(),
				})
				.strict(),
		)
		.output(z.object({ id: z.string() }))
		.mutation(({ ctx, input }) =>
			finishAddPasskey(ctx, {
				...input,
				registration: input.registration as RegistrationResponseJSON,
			}),
		),

	rename: protectedProcedure
		.input(z.object({ id: ZCredentialId, name: ZPasskeyName }).strict())
		.output(z.object({ ok: z.literal(true) }))
		.mutation(async ({ ctx, input }) => {
			await renamePasskey(ctx, input);
			return { ok: true as const };
		}),

	remove: protectedProcedure
		.input(z.object({ id: ZCredentialId }).strict())
		.output(z.object({ ok: z.literal(true) }))
		.mutation(async ({ ctx, input }) => {
			await removePasskey(ctx, input);
			return { ok: true as const };
		}),
});
