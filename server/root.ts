// The API's root router: every router is mounted here. Exports the router, its type (the only
// thing client/ may import from server/) and a server-side caller for tests and jobs.
import { auditRouter } from "./routers/audit";
import { authRouter } from "./routers/auth";
import { filesRouter } from "./routers/files";
import { healthRouter } from "./routers/health";
import { identityRouter } from "./routers/identity";
import { linksRouter } from "./routers/links";
import { passkeysRouter } from "./routers/passkeys";
import { recoveryRouter } from "./routers/recovery";
import { sharesRouter } from "./routers/shares";
import { vaultRouter } from "./routers/vault";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
	health: healthRouter,
	auth: authRouter,
	passkeys: passkeysRouter,
	recovery: recoveryRouter,
	identity: identityRouter,
	audit: auditRouter,
	vault: vaultRouter,
	files: filesRouter,
	shares: sharesRouter,
	links: linksRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process: `createCaller(createContext({ db })).health.check()`. */
export const createCaller = createCallerFactory(appRouter);
