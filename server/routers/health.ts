// `health`: is the server up, which version, can it reach its database. Public, cheap, no secrets.
import { z } from "zod";
import packageJson from "../../package.json" with { type: "json" };
import { createTRPCRouter, publicProcedure } from "../trpc";

export const ZHealthOutput = z.object({
	status: z.enum(["ok", "degraded"]),
	version: z.string(),
	database: z.object({
		status: z.enum(["up", "down"]),
		latencyMs: z.number().nonnegative().nullable(),
	}),
});
export type THealthOutput = z.infer<typeof ZHealthOutput>;

export const healthRouter = createTRPCRouter({
	check: publicProcedure
		.input(z.object({}).strict().optional())
		.output(ZHealthOutput)
		.query(async ({ ctx }) => {
			const started = performance.now();
			const up = await ctx.db.$queryRaw`SELECT 1`.then(
				() => true,
				() => false,
			);
			return {
				status: up ? "ok" : "degraded",
				version: packageJson.version,
				database: {
					status: up ? "up" : "down",
					latencyMs: up ? Math.round((performance.now() - started) * 100) / 100 : null,
				},
			};
		}),
});
