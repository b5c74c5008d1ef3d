// Runs before every page and API request but shard transfers: gives each response a fresh CSP
// nonce. Next.js reads the policy from the request headers and puts the nonce on its own scripts.
import { type NextRequest, NextResponse } from "next/server";
import { buildContentSecurityPolicy, createNonce } from "./server/http/content-security-policy";

export function proxy(request: NextRequest): NextResponse {
	const nonce = createNonce();
	const policy = buildContentSecurityPolicy({
		nonce,
		development: process.env.NODE_ENV === "development",
		https: request.nextUrl.protocol === "https:",
	});
	const requestHeaders = new Headers(request.headers);
	requestHeaders.set("x-nonce", nonce);
	requestHeaders.set("Content-Security-Policy", policy);
	const response = NextResponse.next({ request: { headers: requestHeaders } });
	response.headers.set("Content-Security-Policy", policy);
	return response;
}

export const config = {
	matcher: [
		{
			// Not shard traffic (/api/chunks): for a request that passes through here Next keeps a
			// copy of its body, and never frees it (vercel/next.js#69424) — every shard uploaded
			// stayed in the server's memory. Those responses get a fixed policy (next.config.js).
			source: "/((?!_next/static|_next/image|favicon.ico|icon.svg|api/chunks/).*)",
			missing: [{ type: "header", key: "next-router-prefetch" }],
		},
	],
};
