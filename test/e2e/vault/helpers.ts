// What the vault's browser tests share: a new person's vault page in its own browser context
// (downloads accepted, page errors collected), and a download through the UI checked byte for
// byte.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { expect } from "vitest";
import { addVirtualAuthenticator, collectPageErrors, type Page } from "../../helpers/chromium";
import { signUpThroughUi } from "../accounts/helpers";

/** A new person's vault page on `baseUrl`, with the page errors it collects and their handle. */
export async function signedUpPage(
	browser: Browser,
	baseUrl: string,
	prefix: string,
	displayName: string,
) {
	const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
	const errors = collectPageErrors(page);
	await addVirtualAuthenticator(page);
	const handle = `${prefix}-${randomUUID().slice(0, 6)}`;
	await signUpThroughUi(page, baseUrl, { handle, displayName });
	return { page, errors, handle };
}

/** Downloads `name` through the UI and checks it is `bytes`. */
export async function expectDownloadOf(page: Page, name: string, bytes: Buffer) {
	const [download] = await Promise.all([
		page.waitForEvent("download", { timeout: 120_000 }),
		page.getByRole("button", { name: `Download ${name}`, exact: true }).click(),
	]);
	expect(readFileSync((await download.path()) as string).equals(bytes)).toBe(true);
}
