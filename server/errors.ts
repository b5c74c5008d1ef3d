// The one coded error of the server. Services throw `AppError`s; the tRPC layer maps each code to
// an HTTP status and sends the code to clients, which show a clear message. Messages are for
// people and never contain secrets, keys or personal data.
import { TRPCError } from "@trpc/server";

/**
 * Every failure a client can be told about.
 * - `BAD_INPUT`: the request is malformed or out of bounds (HTTP 400).
 * - `UNAUTHENTICATED`: no valid session (401).
 * - `FORBIDDEN`: signed in, but not allowed (403); also a missing CSRF header.
 * - `NOT_FOUND`: no such object visible to the caller (404).
 * - `CONFLICT`: the object changed or already exists (409).
 * - `PAYLOAD_TOO_LARGE`: a size bound was exceeded (413).
 * - `RATE_LIMITED`: too many attempts; retry later (429).
 * - `UNAVAILABLE`: a dependency (database, storage network) is down (503).
 * - `INTERNAL`: a bug; details are in the server log, not in the response (500).
 */
export const APP_ERROR_CODES = {
	BAD_INPUT: "BAD_REQUEST",
	UNAUTHENTICATED: "UNAUTHORIZED",
	FORBIDDEN: "FORBIDDEN",
	NOT_FOUND: "NOT_FOUND",
	CONFLICT: "CONFLICT",
	PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
	RATE_LIMITED: "TOO_MANY_REQUESTS",
	UNAVAILABLE: "SERVICE_UNAVAILABLE",
	INTERNAL: "INTERNAL_SERVER_ERROR",
} as const satisfies Record<string, TRPCError["code"]>;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;

export class AppError extends Error {
	override name = "AppError";
	constructor(
		readonly code: AppErrorCode,
		message: string,
		options?: { cause?: unknown },
	) {
		super(message, options);
	}

	/** The tRPC error carrying this code (and so its HTTP status). */
	toTRPCError(): TRPCError {
		return new TRPCError({ code: APP_ERROR_CODES[this.code], message: this.message, cause: this });
	}
}

/** The AppError code of any error tRPC caught (INTERNAL for anything unexpected). */
export function appErrorCodeOf(error: TRPCError): AppErrorCode {
	if (error.cause instanceof AppError) return error.cause.code;
	const match = Object.entries(APP_ERROR_CODES).find(([, trpcCode]) => trpcCode === error.code);
	return (match?.[0] as AppErrorCode | undefined) ?? "INTERNAL";
}
