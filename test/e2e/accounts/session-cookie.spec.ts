// The session cookie as a browser receives it from the running app: httpOnly, SameSite=Lax,
// path /, not Secure on plain-http localhost, and never readable by page scripts.
import { describe, expect, inject, it } from "vitest";

const baseUrl = inject("baseUrl");

describe("session cookie over HTTP", () => {
	it("is set with httpOnly and SameSite=Lax when a ceremony starts", async () => {
		const response = await fetch(`${baseUrl}/api/trpc/auth.startSignIn`, {
			method: "POST",
			headers: { "content-type": "application/json", "x-coffre-request": "1" },
			body: JSON.stringify({ json: {} }),
		});
		expect(response.status).toBe(200);
		const cookie = response.headers.get("set-cookie") ?? "";
		expect(cookie).toMatch(/^coffre_session=[A-Za-z0-9_-]{43};/);
		expect(cookie).toContain("HttpOnly");
		expect(cookie).toContain("SameSite=Lax");
		expect(cookie).toContain("Path=/");
		expect(cookie).not.toContain("Secure");
	});

	it("refuses a ceremony started without the CSRF header", async () => {
		const response = await fetch(`${baseUrl}/api/trpc/auth.startSignIn`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ json: {} }),
		});
		expect(response.status).toBe(403);
		expect(response.headers.get("set-cookie")).toBeNull();
	});
});
