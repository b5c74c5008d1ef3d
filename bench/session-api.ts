// A typed tRPC client for the running system that acts as the person signed in in a browser
// context: it sends that context's session cookie and the CSRF header the web app's own client
// sends (client/api.ts), so Node-side benchmark steps go through the same HTTP API, checks and
// server code as the browser. It never prints or stores the cookie.
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { BrowserContext } from "playwright-core";
import superjson from "superjson";
import type { AppRouter } from "../server/root";

/**
 * server/trpc.ts CSRF_HEADER; that module cannot be imported here (it is "server-only", and the
 * bench runs without Node's "react-server" condition).
 */
const CSRF_HEADER = "x-coffre-request";

export type SessionApi = ReturnType<typeof createTRPCClient<AppRouter>>;

/** A client for the API at `baseUrl` signed in as the session of `context`. */
export async function sessionApiOf(context: BrowserContext, baseUrl: string): Promise<SessionApi> {
	const cookie = (await context.cookies(baseUrl))
		.map(({ name, value }) => `${name}=${value}`)
		.join("; ");
	return createTRPCClient<AppRouter>({
		links: [
			httpBatchLink({
				url: `${baseUrl}/api/trpc`,
				transformer: superjson,
				headers: () => ({ [CSRF_HEADER]: "1", cookie }),
			}),
		],
	});
}
