// All tRPC wiring, in the order a request meets it (create-t3-app style):
// 1. context, 2. initialization (error shape), 3. procedures and their guards.
import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { type CookieJar, memoryCookieJar } from "./auth/cookies";
import { type ActiveSession, readSession, type SessionSettings } from "./auth/sessions";
import type { Database } from "./db";
import { DEFAULT_STORAGE_QUOTA_GB } from "./env";
import { AppError, appErrorCodeOf } from "./errors";
import type { ShardGateway } from "./gateway/shard-gateway";
import { type RateLimitRule, SIGN_IN_LIMIT } from "./services/rate-limit";

/** Header browsers must send with every mutation: a cross-site form cannot set it (CSRF). */
export const CSRF_HEADER = "x-coffre-request";

// 1. CONTEXT

/** The WebAuthn relying party: this deployment's domain and exact origin. */
export interface RelyingParty {
	id: string;
	name: string;
	origin: string;
}

export interface Context {
	db: Database;
	/** Request headers; empty for in-process callers (tests, jobs). */
	headers: Headers;
	/** Where the call came from: HTTP requests get the CSRF check, in-process calls do not. */
	transport: "http" | "internal";
	cookies: CookieJar;
	relyingParty: RelyingParty;
	sessionSettings: SessionSettings;
	/** The current time; injectable so tests can move it. */
	now: () => Date;
	/** Who is calling, for rate limits: the client address when known. */
	clientKey: string;
	/** Sign-up and sign-in attempts allowed per client key (COFFRE_SIGN_IN_LIMIT). */
	signInLimit: RateLimitRule;
	/** Bytes of storage a person may use unless their own quota says otherwise (COFFRE_STORAGE_QUOTA_GB). */
	storageQuotaBytes: number;
	/** The storage network, where the process has one (the web app); absent in plain tests. */
	shardGateway?: () => Promise<ShardGateway>;
}

/** Storage per person when no setting says otherwise (server/env.ts), in bytes. */
export const DEFAULT_STORAGE_QUOTA_BYTES = DEFAULT_STORAGE_QUOTA_GB * 1e9;

export const DEFAULT_RELYING_PARTY: RelyingParty = {
	id: "localhost",
	name: "Coffre",
	origin: "http://localhost:3000",
};

export function createContext(options: {
	db: Database;
	headers?: Headers;
	transport?: Context["transport"];
	cookies?: CookieJar;
	relyingParty?: RelyingParty;
	now?: () => Date;
	clientKey?: string;
	signInLimit?: RateLimitRule;
	storageQuotaBytes?: number;
	shardGateway?: () => Promise<ShardGateway>;
}): Context {
	const relyingParty = options.relyingParty ?? DEFAULT_RELYING_PARTY;
	return {
		db: options.db,
		headers: options.headers ?? new Headers(),
		transport: options.transport ?? "internal",
		cookies: options.cookies ?? memoryCookieJar(),
		relyingParty,
		sessionSettings: { secure: relyingParty.origin.startsWith("https:") },
		now: options.now ?? (() => new Date()),
		clientKey: options.clientKey ?? "local",
		signInLimit: options.signInLimit ?? SIGN_IN_LIMIT,
		storageQuotaBytes: options.storageQuotaBytes ?? DEFAULT_STORAGE_QUOTA_BYTES,
		...(options.shardGateway ? { shardGateway: options.shardGateway } : {}),
	};
}

// 2. INITIALIZATION

const t = initTRPC.context<Context>().create({
	transformer: superjson,
	errorFormatter({ shape, error }) {
		const internal = error.code === "INTERNAL_SERVER_ERROR" && !(error.cause instanceof AppError);
		return {
			...shape,
			// Unexpected failures keep their details in the server log only.
			message: internal ? "Something went wrong on the server. Please try again." : shape.message,
			data: {
				...shape.data,
				stack: undefined,
				appCode: appErrorCodeOf(error),
				zodIssues:
					error.cause instanceof ZodError
						? error.cause.issues.map((issue) => ({
								path: issue.path.map(String),
								message: issue.message,
							}))
						: undefined,
			},
		};
	},
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// 3. PROCEDURES

/** Turns thrown AppErrors into tRPC errors with the right HTTP status. */
const appErrors = t.middleware(async ({ next }) => {
	const result = await next();
	if (!result.ok && result.error.cause instanceof AppError) {
		throw result.error.cause.toTRPCError();
	}
	return result;
});

/** Mutations over HTTP must carry the CSRF header. */
const csrf = t.middleware(({ ctx, type, next }) => {
	if (type === "mutation" && ctx.transport === "http" && ctx.headers.get(CSRF_HEADER) !== "1") {
		throw new TRPCError({
			code: "FORBIDDEN",
			message: `Missing ${CSRF_HEADER} header: requests must come from the Coffre app.`,
			cause: new AppError("FORBIDDEN", "Missing CSRF header"),
		});
	}
	return next();
});

/** Anyone may call it. */
export const publicProcedure = t.procedure.use(appErrors).use(csrf);

/** Anyone may call it; `ctx.session` is the caller's live session, if any. */
export const sessionProcedure = publicProcedure.use(async ({ ctx, next }) => {
	const session: ActiveSession | null = await readSession(
		ctx.db,
		ctx.cookies,
		ctx.sessionSettings,
		ctx.now(),
	);
	return next({ ctx: { session } });
});

/** Only for a signed-in user: `ctx.userId` is guaranteed. */
export const protectedProcedure = sessionProcedure.use(({ ctx, next }) => {
	if (!ctx.session?.userId) {
		throw new AppError("UNAUTHENTICATED", "Please sign in to continue.").toTRPCError();
	}
	return next({ ctx: { session: ctx.session, userId: ctx.session.userId } });
});
