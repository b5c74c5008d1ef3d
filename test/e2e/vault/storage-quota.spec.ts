// A person's storage quota in real Chromium against the running system: with a quota set for
// them (directly in the database, as an operator would), a file past it is refused when its
// upload starts, with a message that says how to make room, and nothing of it is stored; the
// meter under the listing (and on the account page) shows what is used; a file in the trash
// still counts, and deleting it for good gives the room back.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { sharedChromium } from "../../helpers/chromium";
import { scratchDir } from "../../helpers/scratch-dir";
import { signedUpPage } from "./helpers";

const baseUrl = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const chromiumBrowser = sharedChromium();
const scratch = scratchDir("coffre-storage-quota-");

async function setQuota(handle: string, bytes: number) {
	const db = new pg.Client({ connectionString: databaseUrl });
	await db.connect();
	try {
		const { rowCount } = await db.query(
			"UPDATE users SET storage_quota_bytes = $1 WHERE handle = $2",
			[bytes, handle],
		);
		expect(rowCount).toBe(1);
	} finally {
		await db.end();
	}
}

function file(name: string, size: number): string {
	const path = scratch.path(name);
	writeFileSync(path, randomBytes(size));
	return path;
}

describe("storage quota", () => {
	it("refuses a file past the quota, and deleting for good makes room", async () => {
		const { page, errors, handle } = await signedUpPage(chromiumBrowser(), baseUrl, "quota", "Q");
		await setQuota(handle, 1_000_000);
		const meter = page.getByTestId("storage-usage");
		const row = (name: string) => page.getByTestId("transfer").filter({ hasText: name });

		await page.getByLabel("Files to upload").setInputFiles(file("fits.bin", 600_000));
		await expect.poll(() => row("fits.bin").textContent()).toContain("Uploaded");
		await expect.poll(() => meter.textContent()).toBe("600 KB of 1.0 MB used");

		await page.getByLabel("Files to upload").setInputFiles(file("too-big.bin", 500_000));
		await expect
			.poll(() => row("too-big.bin").textContent())
			.toContain(
				"Failed: Not enough storage left for this file. Delete files for good from the trash, or discard interrupted uploads, to make room.",
			);
		expect(await page.locator("tbody tr td:first-child").allTextContents()).toEqual(["fits.bin"]);
		// The only transfer failed: no byte count to give ("0 B of 0 B" said nothing).
		expect(await page.getByTestId("transfers-total").count()).toBe(0);
		// On a phone the refusal wraps within the row: the page never scrolls sideways.
		await page.setViewportSize({ width: 390, height: 844 });
		expect(
			await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
		).toBe(0);
		await page.setViewportSize({ width: 1280, height: 800 });
		// Refused before anything was stored: nothing to resume.
		expect(await page.getByRole("region", { name: "Interrupted uploads" }).count()).toBe(0);

		// In the trash it still takes its room.
		await page.getByRole("button", { name: "More actions for fits.bin" }).click();
		await page.getByRole("button", { name: "Delete fits.bin" }).click();
		await expect.poll(() => page.locator("tbody tr").count()).toBe(0);
		await expect.poll(() => meter.textContent()).toBe("600 KB of 1.0 MB used");
		await page.getByRole("button", { name: "Trash" }).click();
		page.once("dialog", (dialog) => void dialog.accept());
		await page.getByRole("button", { name: "Delete for good fits.bin" }).click();
		await expect.poll(() => meter.textContent()).toBe("0 B of 1.0 MB used");

		await page.getByRole("button", { name: "Back to files" }).click();
		await page.getByLabel("Files to upload").setInputFiles(scratch.path("too-big.bin"));
		await expect
			.poll(() => page.getByTestId("transfer").filter({ hasText: "Uploaded" }).count())
			.toBe(1);
		await expect.poll(() => meter.textContent()).toBe("500 KB of 1.0 MB used");
		// Filled to the byte: the meter says so, and how to make room.
		await page.getByLabel("Files to upload").setInputFiles(file("rest.bin", 500_000));
		const full =
			"1.0 MB of 1.0 MB used · storage full: delete files for good from the trash, or discard interrupted uploads, to make room";
		await expect.poll(() => meter.textContent()).toBe(full);
		// The account page says the same (client-side navigation keeps the tab unlocked).
		await page
			.getByRole("navigation", { name: "Account" })
			.getByRole("link", { name: "Account", exact: true })
			.click();
		await page.getByRole("heading", { name: "Your account", level: 1 }).waitFor();
		await expect.poll(() => meter.textContent()).toBe(full);
		// The browser logs the refusal's status; nothing else went wrong.
		expect(errors).toEqual([
			"Failed to load resource: the server responded with a status of 413 (Payload Too Large)",
		]);
	});
});
