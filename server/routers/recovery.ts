// `recovery`: regain access with the printable recovery kit and a new passkey.
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { ZSignedInUser, ZUnlock, ZUnlockOutput } from "../services/accounts/key-material";
import { finishRecovery, startRecovery } from "../services/accounts/recovery";
import { createTRPCRouter, publicProcedure } from "../trpc";
import { ZHandle, ZPasskeyName, ZRegistrationResponse, zBytes } from "../validation";

export const recoveryRouter = createTRPCRouter({
	start: publicProcedure
		.input(z.object({ handle: ZHandle }).strict())
		.output(z.object({ options: z.record(z.string(), z.unknown()), wrappedAccountKey: z.string() }))
		.mutation(async ({ ctx, input }) => {
			const { options, wrappedAccountKey } = await startRecovery(ctx, input);
			return { options: options as unknown as Record<string, unknown>, wrappedAccountKey };
		}),

	finish: publicProcedure
		.input(
			z
				.object({
					registration: ZRegistrationResponse,
					proof: zBytes({ min: 64, max: 64 }),
					passkeyName: ZPasskeyName,
					unlock: ZUnlock.optional(),
				})
				.strict(),
		)
		.output(
			z.object({
				user: ZSignedInUser,
				credentialId: z.string(),
				unlock: ZUnlockOutput,
				sealedIdentitySecrets: z.string(),
				publicIdentity: z.string(),
			}),
		)
		.mutation(({ ctx, input }) =>
			finishRecovery(ctx, {
				...input,
				registration: input.registration as RegistrationResponseJSON,
			}),
		),
});
