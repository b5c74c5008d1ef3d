// `auth`: sign-up, sign-in, the current session, sign-out. Thin: each procedure validates its
// input and output and calls one service function.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { endAllSessions, endSession } from "../auth/sessions";
import { ZNewAccountKeys, ZSignedInUser, ZUnlockOutput } from "../services/accounts/key-material";
import { finishSignIn, startSignIn } from "../services/accounts/sign-in";
import { finishSignUp, startSignUp } from "../services/accounts/sign-up";
import { appendAuditEvent } from "../services/audit-log";
import { createTRPCRouter, protectedProcedure, publicProcedure, sessionProcedure } from "../trpc";
import {
	ZAuthenticationResponse,
	ZDisplayName,
	ZHandle,
	ZPasskeyName,
	ZRegistrationResponse,
} from "../validation";

/** WebAuthn options are produced by SimpleWebAuthn and go to the browser as they are. */
const ZCeremonyOptions = z.record(z.string(), z.unknown());

export const authRouter = createTRPCRouter({
	startSignUp: publicProcedure
		.input(z.object({ handle: ZHandle, displayName: ZDisplayName }).strict())
		.output(z.object({ userId: z.uuid(), options: ZCeremonyOptions }))
		.mutation(async ({ ctx, input }) => {
			const { userId, options } = await startSignUp(ctx, input);
			return { userId, options: options as unknown as Record<string, unknown> };
		}),

	finishSignUp: publicProcedure
		.input(
			z
				.object({
					registration: ZRegistrationResponse,
					passkeyName: ZPasskeyName,
					keys: ZNewAccountKeys,
				})
				.strict(),
		)
		.output(ZSignedInUser)
		.mutation(({ ctx, input }) =>
			finishSignUp(ctx, {
				registration: input.registration as RegistrationResponseJSON,
				passkeyName: input.passkeyName,
				keys: input.keys,
			}),
		),

	startSignIn: publicProcedure
		.input(z.object({}).strict().optional())
		.output(ZCeremonyOptions)
		.mutation(async ({ ctx }) => (await startSignIn(ctx)) as unknown as Record<string, unknown>),

	finishSignIn: publicProcedure
		.input(z.object({ assertion: ZAuthenticationResponse }).strict())
		.output(
			z.object({
				user: ZSignedInUser,
				credentialId: z.string(),
				unlock: ZUnlockOutput,
				sealedIdentitySecrets: z.string(),
				publicIdentity: z.string(),
			}),
		)
		.mutation(({ ctx, input }) => finishSignIn(ctx, input.assertion as AuthenticationResponseJSON)),

	session: sessionProcedure
		.input(z.object({}).strict().optional())
		.output(z.object({ user: ZSignedInUser.nullable() }))
		.query(async ({ ctx }) => {
			if (!ctx.session?.userId) return { user: null };
			const user = await ctx.db.user.findUnique({
				where: { id: ctx.session.userId },
				select: { id: true, handle: true, displayName: true },
			});
			return { user };
		}),

	signOut: protectedProcedure
		.input(z.object({}).strict().optional())
		.output(z.object({ ok: z.literal(true) }))
		.mutation(async ({ ctx }) => {
			await endSession(ctx.db, ctx.cookies, ctx.sessionSettings, ctx.session.id);
			return { ok: true as const };
		}),

	signOutEverywhere: protectedProcedure
		.input(z.object({}).strict().optional())
		.output(z.object({ ended: z.number().int() }))
		.mutation(async ({ ctx }) => {
			const now = ctx.now();
			await ctx.db.$transaction((tx) =>
				appendAuditEvent(tx, { userId: ctx.userId, kind: "session.signed-out-everywhere", now }),
			);
			const ended = await endAllSessions(ctx.db, ctx.userId);
			await endSession(ctx.db, ctx.cookies, ctx.sessionSettings, ctx.session.id);
			return { ended };
		}),
});
