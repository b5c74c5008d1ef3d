// HTTP entry of the tRPC API (fetch adapter). Every call gets a context with the database and
// the request headers; mutations must carry the CSRF header (server/trpc.ts).
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createRequestContext } from "../../../../server/http/request-context";
import { appRouter } from "../../../../server/root";

/** Largest request body the API accepts; file contents never travel through tRPC. */
const MAX_BODY_BYTES = 1024 * 1024;

function handler(request: Request): Promise<Response> | Response {
	const length = Number(request.headers.get("content-length") ?? 0);
	if (length > MAX_BODY_BYTES) {
		return Response.json(
			{ error: { message: "Request too large.", data: { appCode: "PAYLOAD_TOO_LARGE" } } },
			{ status: 413 },
		);
	}
	return fetchRequestHandler({
		endpoint: "/api/trpc",
		req: request,
		router: appRouter,
		createContext: ({ resHeaders }) => createRequestContext(request, resHeaders),
		// Account data must never be cached by browsers or proxies.
		responseMeta: () => ({ headers: new Headers({ "cache-control": "no-store" }) }),
		onError({ error, path }) {
			if (error.code === "INTERNAL_SERVER_ERROR")
				console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
		},
	});
}

export { handler as GET, handler as POST };
