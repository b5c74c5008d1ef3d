// The browser's typed API client: tRPC over HTTP with the CSRF header on every request and
// superjson for dates and bigints. Imports only the router's type from server/.
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../server/root";

/** Must match server/trpc.ts CSRF_HEADER; the server refuses mutations without it. */
const CSRF_HEADER = "x-coffre-request";

export type ApiClient = ReturnType<typeof createApiClient>;

/** A client for the API at `baseUrl` (the page's own origin in the browser). */
export function createApiClient(baseUrl = "") {
	return createTRPCClient<AppRouter>({
		links: [
			httpBatchLink({
				url: `${baseUrl}/api/trpc`,
				transformer: superjson,
				headers: () => ({ [CSRF_HEADER]: "1" }),
				fetch: (input, init) => fetch(input, { ...init, credentials: "same-origin" }),
			}),
		],
	});
}

/** The server's error code (server/errors.ts AppErrorCode) of a failed call, if any. */
export function apiErrorCode(error: unknown): string | undefined {
	if (error instanceof TRPCClientError) {
		return (error.data as { appCode?: string } | undefined)?.appCode;
	}
	return undefined;
}

/**
 * Whether a failed call may succeed if tried again: the network failed (no answer at all) or
 * the server said a dependency is down. Refusals (bad input, conflicts, auth) are final.
 */
export function isTransientFailure(error: unknown): boolean {
	if (error instanceof TypeError) return true;
	if (!(error instanceof TRPCClientError)) return false;
	const code = apiErrorCode(error);
	return code === undefined
		? error.cause instanceof TypeError || !error.data
		: code === "UNAVAILABLE";
}
