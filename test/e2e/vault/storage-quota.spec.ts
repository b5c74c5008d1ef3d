// A person's storage quota in real Chromium against the running system: with a quota set for
// them (directly in the database, as an operator would), a file past it is stopped before its
// upload starts, with the sizes and how to make room, and nothing of it is stored — by the
// browser from what it last read, and by the server when the browser's view is behind; the
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
		// The browser stops it at once, with the sizes.
		await expect
			.poll(() => row("too-big.bin").textContent())
			.toContain(
				"Failed: Not enough storage left: this file needs 500 KB; 400 KB of your 1.0 MB is left. Delete files for good from the trash, or discard interrupted uploads, to make room.",
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

		// The server's check is the one that counts: with the quota lowered behind the page's back
		// (the page still reads 1.0 MB), the next file passes the browser's look and the server
		// refuses it.
		await setQuota(handle, 600_000);
		await page.getByLabel("Files to upload").setInputFiles(file("rest.bin", 500_000));
		await expect
			.poll(() => row("rest.bin").textContent())
			.toContain(
				"Failed: Not enough storage left for this file. Delete files for good from the trash, or discard interrupted uploads, to make room.",
			);
		await expect.poll(() => meter.textContent()).toBe("500 KB of 600 KB used");

		// Full to the byte: the meter says so, and how to make room — on the account page too
		// (client-side navigation keeps the tab unlocked).
		await setQuota(handle, 500_000);
		await page
			.getByRole("navigation", { name: "Account" })
			.getByRole("link", { name: "Account", exact: true })
			.click();
		await page.getByRole("heading", { name: "Your account", level: 1 }).waitFor();
		await expect
			.poll(() => meter.textContent())
			.toBe(
				"500 KB of 500 KB used · storage full: delete files for good from the trash, or discard interrupted uploads, to make room",
			);
		// The browser logs the server's refusal; nothing else went wrong.
		expect(errors).toEqual([
			"Failed to load resource: the server responded with a status of 413 (Payload Too Large)",
		]);
	});
});
