// Launches Debian's Chromium headless through playwright-core with the flags this workplace
// needs (no downloads, no background networking), and adds CDP virtual WebAuthn authenticators
// with PRF (DESIGN §10). Shared by the browser tests and the benchmarks; no test runner here.
// Benchmarks can start it behind ./chromium-relay.mjs, so DevTools keeps no network bodies.
import { join } from "node:path";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { chromium } from "playwright-core";

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

/** Started in Chromium's place when DevTools must keep no bodies (see the file's header). */
const RELAY_PATH = join(import.meta.dirname, "chromium-relay.mjs");

export interface LaunchOptions {
	/**
	 * Whether the driver's DevTools session keeps request and response bodies (its default).
	 * Benchmarks pass false so the browser does the work a person's browser does, no more.
	 */
	keepNetworkBodies?: boolean;
}

/** Starts a headless Chromium; close it when done. */
export async function launchChromium({
	keepNetworkBodies = true,
}: LaunchOptions = {}): Promise<Browser> {
	if (keepNetworkBodies)
		return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
	return chromium.launch({
		executablePath: RELAY_PATH,
		env: { ...process.env, COFFRE_RELAY_CHROMIUM: CHROMIUM_PATH },
		args: CHROMIUM_FLAGS,
		headless: true,
	});
}

/**
 * Starts a headless Chromium with a profile kept in `profileDir` (a person's everyday browser,
 * where a site's storage is on disk, not in memory as in `launchChromium`'s throwaway contexts)
 * and returns its one context, which accepts downloads; close it when done.
 */
export async function launchChromiumWithProfile(
	profileDir: string,
	{ keepNetworkBodies = true }: LaunchOptions = {},
): Promise<BrowserContext> {
	return chromium.launchPersistentContext(profileDir, {
		...(keepNetworkBodies
			? { executablePath: CHROMIUM_PATH }
			: {
					executablePath: RELAY_PATH,
					env: { ...process.env, COFFRE_RELAY_CHROMIUM: CHROMIUM_PATH },
				}),
		args: CHROMIUM_FLAGS,
		headless: true,
		acceptDownloads: true,
	});
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
