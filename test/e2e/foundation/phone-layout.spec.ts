// The pages at a phone's width (390 px) in real Chromium: none is wider than the screen (no
// sideways scrolling), the header keeps the account links, and a folder listing with its
// forms and a row's "More" actions open still fits.
import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import {
	addVirtualAuthenticator,
	collectPageErrors,
	type Page,
	sharedChromium,
} from "../../helpers/chromium";
import { signUpThroughUi } from "../accounts/helpers";

const baseUrl = inject("baseUrl");
const chromiumBrowser = sharedChromium();

const PHONE = { width: 390, height: 800 };

/** How far the page reaches past the viewport's right edge, in CSS pixels (0: it fits). */
const overflow = (page: Page) =>
	page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe("phone layout", () => {
	it("fits every page to a phone's width", async () => {
		const page = await (await chromiumBrowser().newContext({ viewport: PHONE })).newPage();
		const errors = collectPageErrors(page);
		await page.goto(`${baseUrl}/`);
		await page.getByRole("link", { name: "Create your vault" }).first().waitFor();
		expect(await overflow(page)).toBe(0);

		await addVirtualAuthenticator(page);
		await signUpThroughUi(page, baseUrl, {
			handle: `pia-${randomUUID().slice(0, 6)}`,
			displayName: "Pia",
		});
		await page.getByText("This folder is empty.").waitFor();
		const header = page.getByRole("navigation", { name: "Main" });
		await expect
			.poll(() => header.getByRole("link", { name: "Your vault" }).isVisible())
			.toBe(true);
		expect(await overflow(page)).toBe(0);

		// A folder in the listing, with the new-folder form and a rename form open.
		await page.getByRole("button", { name: "New folder" }).click();
		await page.getByLabel("New folder name").fill("Tax returns and receipts of the household");
		await page.getByRole("button", { name: "Create", exact: true }).click();
		await page.getByText("Folder “Tax returns and receipts of the household” created.").waitFor();
		await page.getByRole("button", { name: "New folder" }).click();
		const folder = "Tax returns and receipts of the household";
		await page.getByRole("button", { name: `More actions for ${folder}` }).click();
		await page.getByRole("button", { name: `Rename ${folder}` }).waitFor();
		expect(await overflow(page)).toBe(0);
		await page.getByRole("button", { name: `Rename ${folder}` }).click();
		await page.getByLabel("New name").waitFor();
		expect(await overflow(page)).toBe(0);

		for (const path of [
			"/account",
			"/shared",
			"/shared-with-me",
			"/people",
			"/settings/passkeys",
			"/settings/security",
		]) {
			await page.goto(`${baseUrl}${path}`);
			await page.getByRole("navigation", { name: "Account" }).waitFor();
			expect({ path, overflow: await overflow(page) }).toEqual({ path, overflow: 0 });
		}
		expect(errors).toEqual([]);
	});
});
