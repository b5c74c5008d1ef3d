// Reading and setting cookies from tRPC procedures, over HTTP (request Cookie header in,
// Set-Cookie out) or in process (a memory jar, for tests and jobs).

export interface CookieOptions {
	httpOnly: boolean;
	secure: boolean;
	sameSite: "Lax" | "Strict";
	path: string;
	/** Seconds; 0 deletes the cookie. */
	maxAge: number;
}

export interface CookieJar {
	get(name: string): string | undefined;
	set(name: string, value: string, options: CookieOptions): void;
}

/** Cookie names and values Coffre writes: tokens only, never anything to escape. */
const COOKIE_TEXT = /^[A-Za-z0-9_-]*$/;

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
	if (!COOKIE_TEXT.test(name) || !COOKIE_TEXT.test(value))
		throw new Error("Invalid cookie name or value");
	const parts = [
		`${name}=${value}`,
		`Path=${options.path}`,
		`Max-Age=${options.maxAge}`,
		`SameSite=${options.sameSite}`,
	];
	if (options.httpOnly) parts.push("HttpOnly");
	if (options.secure) parts.push("Secure");
	return parts.join("; ");
}

export function parseCookieHeader(header: string | null): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const part of (header ?? "").split(";")) {
		const index = part.indexOf("=");
		if (index <= 0) continue;
		const name = part.slice(0, index).trim();
		if (!cookies.has(name)) cookies.set(name, part.slice(index + 1).trim());
	}
	return cookies;
}

/** Cookies of one HTTP request; what procedures set goes to `responseHeaders`. */
export function httpCookieJar(requestHeaders: Headers, responseHeaders: Headers): CookieJar {
	const cookies = parseCookieHeader(requestHeaders.get("cookie"));
	return {
		get: (name) => cookies.get(name),
		set(name, value, options) {
			cookies.set(name, value);
			responseHeaders.append("Set-Cookie", serializeCookie(name, value, options));
		},
	};
}

/** A jar that keeps cookies in memory across calls, like a browser would. */
export function memoryCookieJar(): CookieJar & { values: Map<string, string> } {
	const values = new Map<string, string>();
	return {
		values,
		get: (name) => values.get(name),
		set(name, value, options) {
			if (options.maxAge === 0) values.delete(name);
			else values.set(name, value);
		},
	};
}
