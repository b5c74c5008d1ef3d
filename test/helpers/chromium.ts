// Launches Debian's Chromium through playwright-core with the flags this workplace needs
// (no downloads, no background networking), and adds CDP virtual WebAuthn authenticators.
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CHROMIUM_FLAGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--no-first-run",
];

/** Starts a headless Chromium; close it in `afterAll`. */
export async function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}

/**
 * Launches one Chromium for a spec file (closed after it); call the returned function inside
 * tests to get it.
 */
export function sharedChromium(): () => Browser {
	let browser: Browser | undefined;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});
	return () => {
		if (!browser) throw new Error("Chromium is not running yet.");
		return browser;
	};
}

export interface VirtualAuthenticator {
	cdp: CDPSession;
	authenticatorId: string;
	/** Credentials currently held by the authenticator (ids in base64, as CDP gives them). */
	credentials(): Promise<{ credentialId: string; rpId?: string; userHandle?: string }[]>;
	remove(): Promise<void>;
}

/**
 * Adds a CTAP2 platform authenticator (resident keys, user verification, PRF by default) to
 * one page. It belongs to that tab only (DESIGN §10 gotchas): open pages from
 * `browser.newContext()` and add one per page that signs in.
 */
export async function addVirtualAuthenticator(
	page: Page,
	{ prf = true, userVerified = true }: { prf?: boolean; userVerified?: boolean } = {},
): Promise<VirtualAuthenticator> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send("WebAuthn.enable", { enableUI: false });
	const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
		options: {
			protocol: "ctap2",
			transport: "internal",
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: userVerified,
			hasPrf: prf,
			automaticPresenceSimulation: true,
		},
	});
	return {
		cdp,
		authenticatorId,
		async credentials() {
			const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
			return credentials;
		},
		async remove() {
			await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
		},
	};
}

/** Collects console errors and uncaught page errors, for "no console errors" assertions. */
export function collectPageErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on("console", (message) => {
		if (message.type() === "error") errors.push(message.text());
	});
	page.on("pageerror", (error) => errors.push(error.message));
	page.on("response", (response) => {
		if (response.status() >= 500)
			errors.push(
				`HTTP ${response.status()} from ${response.request().method()} ${response.url()}`,
			);
	});
	return errors;
}

export type { Browser, BrowserContext, Page };
