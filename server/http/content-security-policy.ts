// The Content-Security-Policy of every page: scripts only from this origin and with this
// request's nonce (no inline or eval'd script in production), no framing by others (frames of
// this origin only, for downloads), no plugins, no
// third-party connections. WebAssembly may compile ('wasm-unsafe-eval'): the vault's
// erasure coder and key stretching run as WASM in the browser.

/** Builds the policy for one response. `development` allows eval for React's dev tools. */
export function buildContentSecurityPolicy({
	nonce,
	development,
	https,
}: {
	nonce: string;
	development: boolean;
	https: boolean;
}): string {
	const directives: [string, ...string[]][] = [
		["default-src", "'self'"],
		[
			"script-src",
			"'self'",
			`'nonce-${nonce}'`,
			"'strict-dynamic'",
			"'wasm-unsafe-eval'",
			...(development ? ["'unsafe-eval'"] : []),
		],
		["style-src", "'self'", `'nonce-${nonce}'`],
		// Style attributes (progress bar widths) cannot run code.
		["style-src-attr", "'unsafe-inline'"],
		["img-src", "'self'", "blob:", "data:"],
		["font-src", "'self'"],
		["connect-src", "'self'", ...(development ? ["ws:"] : [])],
		["worker-src", "'self'", "blob:"],
		["manifest-src", "'self'"],
		["object-src", "'none'"],
		["base-uri", "'none'"],
		["form-action", "'self'"],
		["frame-ancestors", "'none'"],
		// Only this origin: a hidden frame hands decrypted downloads to the browser through the
		// download service worker (public/downloads/stream-sw.js).
		["frame-src", "'self'"],
		...(https ? ([["upgrade-insecure-requests"]] as [string][]) : []),
	];
	return directives.map((parts) => parts.join(" ")).join("; ");
}

/** 128 random bits, base64: unguessable per response. */
export function createNonce(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return btoa(String.fromCharCode(...bytes));
}
