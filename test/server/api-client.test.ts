// The browser's API client against the real HTTP handler: it sends the CSRF header, decodes
// superjson, and exposes the server's error code.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiErrorCode, createApiClient } from "../../client/api";
import { appRouter } from "../../server/root";
import { createContext } from "../../server/trpc";
import { setupTestDatabase } from "../helpers/database";

const database = setupTestDatabase("pglite");
const realFetch = globalThis.fetch;

beforeAll(() => {
	// Route the client's fetches to the real handler, in process.
	globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
		const request = new Request(input, init);
		return fetchRequestHandler({
			endpoint: "/api/trpc",
			req: request,
			router: appRouter,
			createContext: () =>
				createContext({ db: database.current.db, headers: request.headers, transport: "http" }),
		});
	}) as typeof fetch;
});
afterAll(() => {
	globalThis.fetch = realFetch;
});

describe("client/api", () => {
	it("calls health through HTTP", async () => {
		const api = createApiClient("http://localhost");
		await expect(api.health.check.query()).resolves.toMatchObject({ status: "ok" });
	});

	it("reports the server's error code on bad input", async () => {
		const api = createApiClient("http://localhost");
		const error = await api.health.check
			.query({ unexpected: true } as never)
			.catch((e: unknown) => e);
		expect(apiErrorCode(error)).toBe("BAD_INPUT");
	});
});
