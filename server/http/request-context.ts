// Builds the tRPC/service context of one HTTP request: database, headers, cookies (Set-Cookie
// goes to `responseHeaders`), the relying party from settings, and the client address rate
// limits key on. Its clock is real time (or the test-only clock, server/clock.ts).
import "server-only";
import { httpCookieJar } from "../auth/cookies";
import { serverClock } from "../clock";
import { getDatabase } from "../db";
import { parseEnv } from "../env";
import { getShardGateway } from "../gateway/gateway-instance";
import { SIGN_IN_LIMIT } from "../services/rate-limit";
import { type Context, createContext } from "../trpc";

const env = parseEnv();
const relyingParty = { id: env.COFFRE_RP_ID, name: "Coffre", origin: env.COFFRE_ORIGIN };
const now = serverClock(env);
const signInLimit = { ...SIGN_IN_LIMIT, limit: env.COFFRE_SIGN_IN_LIMIT };
const storageQuotaBytes = Math.floor(env.COFFRE_STORAGE_QUOTA_GB * 1e9);

/**
 * The address rate limits key on: the last x-forwarded-for entry, which Next's server appends
 * from the socket itself, so a client cannot forge it by sending its own header.
 */
function clientAddress(request: Request): string {
	return request.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim() || "unknown";
}

export function createRequestContext(request: Request, responseHeaders: Headers): Context {
	return createContext({
		db: getDatabase(),
		headers: request.headers,
		transport: "http",
		cookies: httpCookieJar(request.headers, responseHeaders),
		relyingParty,
		now,
		clientKey: clientAddress(request),
		signInLimit,
		storageQuotaBytes,
		shardGateway: getShardGateway,
	});
}
