// What the gateway's HTTP routes (app/api/chunks) share: the JSON error answer with the HTTP
// status of each application error code, the CSRF and Content-Length checks of an upload, and
// the signed-in person's service context. Nothing here ever puts a secret into an answer.
import "server-only";
import { z } from "zod";
import { readSession } from "../auth/sessions";
import { APP_ERROR_CODES, AppError, type AppErrorCode } from "../errors";
import { CSRF_HEADER } from "../trpc";
import { createRequestContext } from "./request-context";

/** The path parameters that name a chunk of a file version. */
export const zChunkAddress = {
	versionId: z.uuid(),
	chunkIndex: z.coerce
		.number()
		.int()
		.min(0)
		.max(2 ** 20),
};

const HTTP_STATUS: Record<string, number> = {
	BAD_REQUEST: 400,
	UNAUTHORIZED: 401,
	FORBIDDEN: 403,
	NOT_FOUND: 404,
	CONFLICT: 409,
	PAYLOAD_TOO_LARGE: 413,
	TOO_MANY_REQUESTS: 429,
	SERVICE_UNAVAILABLE: 503,
	INTERNAL_SERVER_ERROR: 500,
};

/** The HTTP status an application error code answers with. */
export function httpStatusOf(code: AppErrorCode): number {
	return HTTP_STATUS[APP_ERROR_CODES[code]] ?? 500;
}

/** The answer to a failed request: the error's own message, or a generic one (logged). */
export function errorResponse(error: unknown): Response {
	const appError = error instanceof AppError ? error : null;
	if (!appError) console.error("Shard gateway failed:", error);
	const code = appError?.code ?? "INTERNAL";
	const message = appError?.message ?? "Something went wrong on the server. Please try again.";
	return Response.json(
		{ error: { message, appCode: code } },
		{ status: httpStatusOf(code), headers: { "cache-control": "no-store" } },
	);
}

/** An upload's announced body length, checked against `max` before anything is read. */
export function uploadLength(request: Request, max: number): number {
	if (request.headers.get(CSRF_HEADER) !== "1")
		throw new AppError("FORBIDDEN", "Missing CSRF header.");
	const length = Number(request.headers.get("content-length") ?? Number.NaN);
	if (!Number.isSafeInteger(length) || length < 0)
		throw new AppError("BAD_INPUT", "Send the upload with a Content-Length.");
	if (length > max) throw new AppError("PAYLOAD_TOO_LARGE", "The upload is too large.");
	return length;
}

/** The service context of the signed-in person making `request`; UNAUTHENTICATED otherwise. */
export async function signedInContext(request: Request, responseHeaders: Headers) {
	const ctx = createRequestContext(request, responseHeaders);
	const session = await readSession(ctx.db, ctx.cookies, ctx.sessionSettings, ctx.now());
	if (!session?.userId) throw new AppError("UNAUTHENTICATED", "Please sign in to continue.");
	return { ...ctx, session, userId: session.userId };
}
