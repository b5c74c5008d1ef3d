// Account journeys in real Chromium with CDP virtual authenticators (PRF on, and off for the
// passphrase path). Each checks the page and then the database: only public keys, wrapped keys
// and salts are stored — never a PRF output, a recovery key or a passphrase.
import { describe, expect, inject, it } from "vitest";
import { addVirtualAuthenticator, collectPageErrors, sharedChromium } from "../../helpers/chromium";
import { dumpDatabase, findSecrets } from "../../helpers/database-scan";
import { prfOutputOf, signInThroughUi, signUpThroughUi } from "./helpers";

const baseUrl = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const chromiumBrowser = sharedChromium();

const lockState = (page: import("../../helpers/chromium").Page) =>
	page.getByTestId("lock-state").textContent();

describe("passkey accounts", () => {
	it("signs up, locks, signs in again and unlocks — storing no secret", async () => {
		const context = await chromiumBrowser().newContext();
		const page = await context.newPage();
		const errors = collectPageErrors(page);
		await addVirtualAuthenticator(page);
		const { recoveryKey } = await signUpThroughUi(page, baseUrl, {
			handle: "ada",
			displayName: "Ada Lovelace",
		});
		await page.getByRole("link", { name: "Account" }).click();
		await expect(page.getByTestId("identity-fingerprint").textContent()).resolves.toMatch(/\d{5}/);

		await page.getByRole("button", { name: "Lock now" }).click();
		await expect.poll(() => lockState(page)).toBe("Vault locked");
		await page.getByRole("button", { name: "Unlock with passkey" }).click();
		await expect.poll(() => lockState(page)).toBe("Vault unlocked in this tab");

		await page.getByRole("button", { name: "Sign out", exact: true }).click();
		await page.waitForURL(`${baseUrl}/signin`);
		await signInThroughUi(page, baseUrl);

		const prfOutput = await prfOutputOf(page);
		const leaked = findSecrets(await dumpDatabase(databaseUrl), { prfOutput, recoveryKey });
		expect(leaked).toEqual([]);
		expect(errors).toEqual([]);
		await context.close();
	});

	it("adds a second passkey, signs in with it, and removes the first", async () => {
		const context = await chromiumBrowser().newContext();
		const page = await context.newPage();
		const original = await addVirtualAuthenticator(page);
		await signUpThroughUi(page, baseUrl, { handle: "hopper", displayName: "Grace Hopper" });
		// In-app navigation: a reload would forget the keys (by design) and lock the tab.
		await page.getByRole("link", { name: "Passkeys" }).click();
		// The keys stay unlocked in this tab; the new passkey is made on a second authenticator.
		await original.remove();
		await addVirtualAuthenticator(page);
		await page.getByLabel("Name for the new passkey").fill("Phone");
		await page.getByRole("button", { name: "Add passkey" }).click();
		await page.getByText("Passkey added.").waitFor();
		const added = await page.getByRole("row").allTextContents();
		expect(added, added.join(" | ")).toHaveLength(3);
		expect(added.at(-1)).toMatch(/^Phone/);

		await page.getByRole("button", { name: "Sign out", exact: true }).click();
		await page.waitForURL(`${baseUrl}/signin`);
		await signInThroughUi(page, baseUrl);

		await page.getByRole("link", { name: "Passkeys" }).click();
		page.once("dialog", (dialog) => dialog.accept());
		await page
			.getByRole("row")
			.nth(1)
			.getByRole("button", { name: /Remove/ })
			.click();
		await page.getByText("Passkey removed.").waitFor();
		const rows = await page.getByRole("row").allTextContents();
		expect(rows, rows.join(" | ")).toHaveLength(2); // the header and "Phone"
		const prfOutput = await prfOutputOf(page); // the phone's passkey, the tab's only authenticator now
		expect(findSecrets(await dumpDatabase(databaseUrl), { prfOutput })).toEqual([]);
		expect(await page.getByRole("cell", { name: "Phone", exact: true }).count()).toBe(1);
		await context.close();
	});

	it("recovers with the kit on a fresh authenticator", async () => {
		const context = await chromiumBrowser().newContext();
		const page = await context.newPage();
		await addVirtualAuthenticator(page);
		const { words, recoveryKey } = await signUpThroughUi(page, baseUrl, {
			handle: "katherine",
			displayName: "Katherine",
		});
		await context.close();

		const fresh = await chromiumBrowser().newContext();
		const freshPage = await fresh.newPage();
		await addVirtualAuthenticator(freshPage);
		await freshPage.goto(`${baseUrl}/recover`);
		await freshPage.getByLabel("Handle").fill("katherine");
		await freshPage.getByLabel("Recovery words").fill(words.join(" "));
		await freshPage.getByRole("button", { name: "Recover and create a passkey" }).click();
		await freshPage.waitForURL(`${baseUrl}/vault`);
		await expect.poll(() => lockState(freshPage)).toBe("Vault unlocked in this tab");
		await freshPage.getByRole("link", { name: "Security log" }).click();
		await freshPage.getByText("Recovery kit used").waitFor();
		expect(findSecrets(await dumpDatabase(databaseUrl), { recoveryKey })).toEqual([]);
		await fresh.close();
	});

	it("uses a vault passphrase with an authenticator that has no PRF", async () => {
		const context = await chromiumBrowser().newContext();
		const page = await context.newPage();
		await addVirtualAuthenticator(page, { prf: false });
		const passphrase = "correct horse battery staple";
		await signUpThroughUi(page, baseUrl, {
			handle: "margaret",
			displayName: "Margaret",
			passphrase,
		});
		await page.getByRole("button", { name: "Sign out", exact: true }).click();
		await page.waitForURL(`${baseUrl}/signin`);
		await signInThroughUi(page, baseUrl, { passphrase });
		expect(
			findSecrets(await dumpDatabase(databaseUrl), {
				passphrase: new TextEncoder().encode(passphrase),
			}),
		).toEqual([]);
		await context.close();
	});
});
