// The landing page as a person and a browser meet it: it loads without console errors, says
// what Coffre is, is reachable by keyboard, and every response carries the security headers;
// the API answers over plain HTTP, and refuses malformed chunk uploads before reading them.
import { request as httpRequest } from "node:http";
import { describe, expect, inject, it } from "vitest";
import { collectPageErrors, sharedChromium } from "../../helpers/chromium";

const baseUrl = inject("baseUrl");
const chromiumBrowser = sharedChromium();

describe("landing page", () => {
	it("loads with no console errors and explains Coffre", async () => {
		const context = await chromiumBrowser().newContext();
		const page = await context.newPage();
		const errors = collectPageErrors(page);
		const response = await page.goto(baseUrl);
		expect(response?.status()).toBe(200);
		await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toMatch(
			/vault only you can open/i,
		);
		expect(await page.getByRole("main").count()).toBe(1);
		expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(1);
		expect(await page.getByRole("contentinfo").count()).toBe(1);
		// Hydrated React scripts ran under the CSP (a blocked script would log a console error).
		await page.waitForLoadState("networkidle");
		expect(errors).toEqual([]);
		await context.close();
	});

	it("leads to sign-up and sign-in pages that exist", async () => {
		const context = await chromiumBrowser().newContext();
		const page = await context.newPage();
		await page.goto(baseUrl);
		await page.getByRole("main").getByRole("link", { name: "Create your vault" }).click();
		await page.getByRole("heading", { name: "Create your vault" }).waitFor();
		await page.getByRole("link", { name: "Sign in", exact: true }).first().click();
		await page.getByRole("heading", { name: "Sign in to Coffre" }).waitFor();
		await context.close();
	});

	it("offers a skip link as the first keyboard stop", async () => {
		const context = await chromiumBrowser().newContext();
		const page = await context.newPage();
		await page.goto(baseUrl);
		await page.keyboard.press("Tab");
		const focused = await page.evaluate(() => document.activeElement?.textContent);
		expect(focused).toBe("Skip to content");
		await context.close();
	});
});

describe("security headers", () => {
	it("sends a strict CSP with a fresh nonce on every page response", async () => {
		const first = await fetch(baseUrl);
		const second = await fetch(baseUrl);
		const policy = first.headers.get("content-security-policy") ?? "";
		expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
		expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
		expect(policy).not.toMatch(/'unsafe-eval'/);
		expect(policy).toContain("frame-ancestors 'none'");
		expect(policy).toContain("object-src 'none'");
		expect(policy).not.toEqual(second.headers.get("content-security-policy"));
		const nonce = policy.match(/'nonce-([^']+)'/)?.[1];
		const html = await first.text();
		expect(html).toContain(`nonce="${nonce}"`);
	});

	it("sends a CSP that allows nothing on shard transfers, which skip the nonce proxy", async () => {
		const response = await fetch(`${baseUrl}/api/chunks/00000000-0000-4000-8000-000000000000/0/0`);
		expect(response.status).toBe(401);
		expect(response.headers.get("content-security-policy")).toBe(
			"default-src 'none'; frame-ancestors 'none'; sandbox",
		);
	});

	it.each(["/", "/api/trpc/health.check", "/icon.svg", "/no-such-page", "/api/chunks/x/0/0"])(
		"sets the fixed headers on %s",
		async (path) => {
			const response = await fetch(`${baseUrl}${path}`);
			expect(response.headers.get("referrer-policy")).toBe("no-referrer");
			expect(response.headers.get("x-content-type-options")).toBe("nosniff");
			expect(response.headers.get("x-frame-options")).toBe("DENY");
			expect(response.headers.get("permissions-policy")).toContain("camera=()");
			expect(response.headers.get("x-powered-by")).toBeNull();
		},
	);
});

describe("API over HTTP", () => {
	it("answers health with the database up", async () => {
		const response = await fetch(`${baseUrl}/api/trpc/health.check`);
		expect(response.status).toBe(200);
		const body = (await response.json()) as {
			result: { data: { json: { status: string; database: { status: string } } } };
		};
		expect(body.result.data.json).toMatchObject({ status: "ok", database: { status: "up" } });
	});

	it("refuses a malformed chunk upload with a clear error before reading its body", async () => {
		const chunk = `${baseUrl}/api/chunks/00000000-0000-4000-8000-000000000000/0`;
		const put = (query: string, headers: Record<string, string> = {}, body = "abcd") =>
			fetch(`${chunk}${query}`, {
				method: "PUT",
				headers: { "x-coffre-request": "1", ...headers },
				body,
			});
		const refusal = async (response: Response) => ({
			status: response.status,
			appCode: ((await response.json()) as { error: { appCode: string } }).error.appCode,
		});
		expect(await refusal(await put("?shards=0", { "x-coffre-request": "0" }))).toEqual({
			status: 403,
			appCode: "FORBIDDEN",
		});
		for (const list of ["", "?shards=0,0", "?shards=32", "?shards=1,,2", "?shards=a"])
			expect(await refusal(await put(list))).toEqual({ status: 400, appCode: "BAD_INPUT" });
		// The chunk's placement, when named, needs a shard size and 2 to 32 roots of 32 bytes.
		const root = Buffer.alloc(32, 1).toString("base64url");
		const placements: Record<string, string>[] = [
			{ "x-coffre-shard-size": "4" },
			{ "x-coffre-shard-roots": `${root},${root}` },
			{ "x-coffre-shard-size": "0", "x-coffre-shard-roots": `${root},${root}` },
			{ "x-coffre-shard-size": "4", "x-coffre-shard-roots": root },
			{ "x-coffre-shard-size": "4", "x-coffre-shard-roots": `${root},AAAA` },
			{ "x-coffre-shard-size": "4", "x-coffre-shard-roots": `${root},${root}=` },
		];
		for (const placement of placements)
			expect(await refusal(await put("?shards=0", placement))).toEqual({
				status: 400,
				appCode: "BAD_INPUT",
			});
		// Announced above the limit: refused on the header alone (Node's fetch sends the body
		// in one piece, so this one is small but says it is 65 MiB).
		const tooLarge = await new Promise<number>((resolve, reject) => {
			const url = new URL(`${chunk}?shards=0`);
			const request = httpRequest(
				url,
				{
					method: "PUT",
					headers: { "x-coffre-request": "1", "content-length": String(65 * 2 ** 20) },
				},
				(response) => {
					resolve(response.statusCode ?? 0);
					request.destroy();
				},
			);
			request.on("error", reject);
			request.write("abcd");
		});
		expect(tooLarge).toBe(413);
		expect(await refusal(await put("?shards=0,1"))).toEqual({
			status: 401,
			appCode: "UNAUTHENTICATED",
		});
	});

	it("refuses a malformed or unauthenticated chunk download with a clear error", async () => {
		const chunk = `${baseUrl}/api/chunks/00000000-0000-4000-8000-000000000000/0`;
		const get = async (query: string, headers: Record<string, string> = {}) => {
			const response = await fetch(`${chunk}${query}`, { headers });
			return {
				status: response.status,
				appCode: ((await response.json()) as { error: { appCode: string } }).error.appCode,
			};
		};
		for (const query of ["", "?shards=0,0", "?shards=32", "?shards=0&share=x", "?shards=0&link=y"])
			expect(await get(query)).toEqual({ status: 400, appCode: "BAD_INPUT" });
		expect(await get("?shards=0&link=00000000-0000-4000-8000-000000000001")).toEqual({
			status: 403,
			appCode: "FORBIDDEN",
		});
		expect(await get("?shards=0,1,2,3")).toEqual({ status: 401, appCode: "UNAUTHENTICATED" });
	});

	it("forbids caching of API responses", async () => {
		const response = await fetch(`${baseUrl}/api/trpc/health.check`);
		expect(response.headers.get("cache-control")).toBe("no-store");
	});

	it("refuses oversized requests with a clear error", async () => {
		const response = await fetch(`${baseUrl}/api/trpc/health.check`, {
			method: "POST",
			headers: { "content-type": "application/json", "x-coffre-request": "1" },
			body: "x".repeat(2 * 1024 * 1024),
		});
		expect(response.status).toBe(413);
	});
});
