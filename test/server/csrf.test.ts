// Mutations over HTTP need the CSRF header (a cross-site form cannot send it); queries and
// in-process callers do not. Exercised through tRPC's real fetch adapter.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Database } from "../../server/db";
import { AppError } from "../../server/errors";
import { CSRF_HEADER, createContext, createTRPCRouter, publicProcedure } from "../../server/trpc";

const router = createTRPCRouter({
	echo: publicProcedure
		.input(z.object({ value: z.string().max(10) }))
		.mutation(({ input }) => input.value),
	ping: publicProcedure.query(() => "pong"),
	missing: publicProcedure.query(() => {
		throw new AppError("NOT_FOUND", "No such item.");
	}),
});

const db = {} as Database;

function call(path: string, init: RequestInit = {}): Promise<Response> {
	const request = new Request(`http://localhost/api/trpc/${path}`, init);
	return fetchRequestHandler({
		endpoint: "/api/trpc",
		req: request,
		router,
		createContext: () => createContext({ db, headers: request.headers, transport: "http" }),
	});
}

const echoBody = JSON.stringify({ json: { value: "hi" } });

describe("CSRF protection of mutations", () => {
	it("refuses a mutation without the header with 403 and a coded error", async () => {
		const response = await call("echo", {
			method: "POST",
			body: echoBody,
			headers: { "content-type": "application/json" },
		});
		expect(response.status).toBe(403);
		const body = (await response.json()) as { error: { json: { data: { appCode: string } } } };
		expect(body.error.json.data.appCode).toBe("FORBIDDEN");
	});

	it("accepts the same mutation with the header", async () => {
		const response = await call("echo", {
			method: "POST",
			body: echoBody,
			headers: { "content-type": "application/json", [CSRF_HEADER]: "1" },
		});
		expect(response.status).toBe(200);
	});

	it("lets queries through without the header", async () => {
		expect((await call("ping")).status).toBe(200);
	});
});

describe("error mapping", () => {
	it("maps AppError codes to HTTP statuses and keeps the message", async () => {
		const response = await call("missing");
		expect(response.status).toBe(404);
		const body = (await response.json()) as {
			error: { json: { message: string; data: { appCode: string } } };
		};
		expect(body.error.json).toMatchObject({
			message: "No such item.",
			data: { appCode: "NOT_FOUND" },
		});
	});

	it("answers invalid input with 400 and the failing fields", async () => {
		const response = await call("echo", {
			method: "POST",
			body: JSON.stringify({ json: { value: "far too long for this" } }),
			headers: { "content-type": "application/json", [CSRF_HEADER]: "1" },
		});
		expect(response.status).toBe(400);
		const body = (await response.json()) as {
			error: { json: { data: { appCode: string; zodIssues: { path: string[] }[] } } };
		};
		expect(body.error.json.data.appCode).toBe("BAD_INPUT");
		expect(body.error.json.data.zodIssues[0]?.path).toEqual(["value"]);
	});
});
