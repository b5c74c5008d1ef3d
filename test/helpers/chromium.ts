// Chromium for the browser tests: one shared browser per spec file, page error collection, and
// (re-exported from scripts/headless-chromium.ts) the launcher and virtual WebAuthn authenticators.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "../../scripts/headless-chromium";

export {
	addVirtualAuthenticator,
	CHROMIUM_PATH,
	launchChromium,
	type VirtualAuthenticator,
} from "../../scripts/headless-chromium";

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
