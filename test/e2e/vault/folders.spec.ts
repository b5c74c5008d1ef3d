// The vault's folders in real Chromium: create, open, rename, move, trash, restore and delete,
// names surviving a reload and unlock; the server sees no name in plaintext; and a server that
// swaps two folders' wrapped keys gets both refused, never shown under the wrong name.
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import {
	addVirtualAuthenticator,
	collectPageErrors,
	type Page,
	sharedChromium,
} from "../../helpers/chromium";
import { dumpDatabase } from "../../helpers/database-scan";
import { signUpThroughUi } from "../accounts/helpers";

const baseUrl = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const chromiumBrowser = sharedChromium();

const names = (page: Page) => page.locator("tbody tr td:first-child").allTextContents();
/** Warnings a listing shows when it does not match the folder's sealed state. */
const listingWarnings = (page: Page) =>
	page
		.getByRole("alert")
		.filter({ hasText: /missing from what the server returned|could not be verified/ })
		.count();

async function newFolder(page: Page, name: string) {
	await page.getByRole("button", { name: "New folder" }).click();
	await page.getByLabel("New folder name").fill(name);
	await page.getByRole("button", { name: "Create", exact: true }).click();
	await page.getByText(`Folder “${name}” created.`).waitFor();
}

describe("vault folders", () => {
	it("creates, renames, moves, trashes and restores folders with names only the browser can read", async () => {
		const page = await (await chromiumBrowser().newContext()).newPage();
		const errors = collectPageErrors(page);
		await addVirtualAuthenticator(page);
		await signUpThroughUi(page, baseUrl, {
			handle: `vera-${randomUUID().slice(0, 6)}`,
			displayName: "Vera",
		});
		await page.getByText("This folder is empty.").waitFor();

		const canary = `Canary taxes ${randomUUID()}`;
		await newFolder(page, canary);
		await newFolder(page, "Letters");
		expect(await names(page)).toEqual([`${canary}`, "Letters"]);

		// A row's "More" actions by keyboard: Enter opens them with focus on the first, Escape
		// closes them and gives focus back to the button.
		const more = page.getByRole("button", { name: "More actions for Letters" });
		await more.focus();
		await page.keyboard.press("Enter");
		await expect
			.poll(() => page.evaluate(() => document.activeElement?.textContent))
			.toBe("Rename Letters");
		await page.keyboard.press("Escape");
		expect(await more.getAttribute("aria-expanded")).toBe("false");
		expect(await page.getByRole("button", { name: "Rename Letters" }).count()).toBe(0);
		expect(await more.evaluate((button) => button === document.activeElement)).toBe(true);

		// The new-folder form: Escape closes it and gives focus back to its button; it is never
		// left open in the trash.
		const newFolderButton = page.getByRole("button", { name: "New folder" });
		await newFolderButton.click();
		await page.keyboard.press("Escape");
		expect(await page.getByLabel("New folder name").count()).toBe(0);
		expect(await newFolderButton.evaluate((button) => button === document.activeElement)).toBe(
			true,
		);
		await newFolderButton.click();
		await page.getByRole("button", { name: "Trash" }).click();
		expect(await page.getByLabel("New folder name").count()).toBe(0);
		await page.getByRole("button", { name: "Back to files" }).click();
		expect(await page.getByLabel("New folder name").count()).toBe(0);

		await page.getByRole("button", { name: `More actions for ${canary}` }).click();
		await page.getByRole("button", { name: `Rename ${canary}` }).click();
		// Escape leaves the name as it was; renaming again works.
		await page.keyboard.press("Escape");
		expect(await page.getByLabel("New name").count()).toBe(0);
		await page.getByRole("button", { name: `More actions for ${canary}` }).click();
		await page.getByRole("button", { name: `Rename ${canary}` }).click();
		await page.getByLabel("New name").fill(`${canary} 2026`);
		await page.getByRole("button", { name: "Save" }).click();
		await page.getByText("Renamed.").waitFor();

		await page.getByRole("button", { name: `More actions for ${canary} 2026` }).click();
		await page.getByRole("button", { name: `Move ${canary} 2026` }).click();
		await page
			.getByRole("dialog")
			.getByRole("button", { name: /Letters/ })
			.click();
		await page.getByRole("button", { name: "Move here" }).click();
		await page.getByText(`moved to Letters.`).waitFor();
		expect(await names(page)).toEqual(["Letters"]);
		// Every change saved the folders' next states: the listings match them.
		expect(await listingWarnings(page)).toBe(0);

		await page.getByRole("button", { name: "Letters", exact: true }).click();
		await expect.poll(() => names(page)).toEqual([`${canary} 2026`]);
		await page.getByRole("button", { name: `More actions for ${canary} 2026` }).click();
		await page.getByRole("button", { name: `Delete ${canary} 2026` }).click();
		await page.getByText("moved to the trash.").waitFor();
		await page.getByText("This folder is empty.").waitFor();
		expect(await listingWarnings(page)).toBe(0);
		await page.getByRole("button", { name: "Trash" }).click();
		await expect.poll(() => names(page)).toEqual([`${canary} 2026`]);
		await page.getByRole("button", { name: `Restore ${canary} 2026` }).click();
		await page.getByText("restored.").waitFor();

		// After a reload the tab is locked; unlocking brings the names back.
		await page.reload();
		await page.getByRole("button", { name: "Unlock with passkey" }).click();
		await expect.poll(() => names(page)).toEqual(["Letters"]);
		await page.getByRole("button", { name: "Letters", exact: true }).click();
		await expect.poll(() => names(page)).toEqual([`${canary} 2026`]);
		expect(await listingWarnings(page)).toBe(0);

		const dump = await dumpDatabase(databaseUrl);
		expect(dump).not.toContain("Canary taxes");
		expect(dump).not.toContain(Buffer.from("Canary taxes").toString("hex"));
		expect(errors).toEqual([]);
	});

	it("uploads a whole folder, keeping its structure", async () => {
		const page = await (await chromiumBrowser().newContext()).newPage();
		await addVirtualAuthenticator(page);
		await signUpThroughUi(page, baseUrl, {
			handle: `tree-${randomUUID().slice(0, 6)}`,
			displayName: "Tree",
		});
		const root = mkdtempSync(join(tmpdir(), "coffre-folder-"));
		const family = join(root, "Family");
		mkdirSync(join(family, "Photos"), { recursive: true });
		writeFileSync(join(family, "notes.txt"), "shopping list");
		writeFileSync(join(family, "Photos", "beach.jpg"), Buffer.alloc(2048, 1));
		await page.getByLabel("Folder to upload").setInputFiles(family);
		const transfers = page.getByTestId("transfer");
		await expect
			.poll(() => transfers.filter({ hasText: /Uploaded|Failed/ }).count(), { timeout: 120_000 })
			.toBe(2);
		// A failed upload shows its message here rather than as a count that never arrives.
		for (const text of await transfers.allTextContents()) expect(text).toContain("Uploaded");
		await expect.poll(() => names(page)).toEqual(["Family"]);
		await page.getByRole("button", { name: "Family", exact: true }).click();
		await expect.poll(() => names(page)).toEqual(["Photos", "notes.txt"]);
		await page.getByRole("button", { name: "Photos", exact: true }).click();
		await expect.poll(() => names(page)).toEqual(["beach.jpg"]);
		rmSync(root, { recursive: true, force: true });
	});

	it("refuses folders whose wrapped keys a malicious server swapped", async () => {
		const page = await (await chromiumBrowser().newContext()).newPage();
		await addVirtualAuthenticator(page);
		const handle = `swap-${randomUUID().slice(0, 6)}`;
		await signUpThroughUi(page, baseUrl, { handle, displayName: "Swap" });
		await newFolder(page, "Medical");
		await newFolder(page, "Holidays");

		const db = new pg.Client({ connectionString: databaseUrl });
		await db.connect();
		const { rows } = await db.query<{ id: string; wrapped_node_key: Buffer }>(
			`SELECT n.id, n.wrapped_node_key FROM vault_nodes n JOIN vaults v ON v.id = n.vault_id
			 JOIN users u ON u.id = v.owner_id WHERE u.handle = $1`,
			[handle],
		);
		expect(rows).toHaveLength(2);
		const [a, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
		await db.query("UPDATE vault_nodes SET wrapped_node_key = $1 WHERE id = $2", [
			b.wrapped_node_key,
			a.id,
		]);
		await db.query("UPDATE vault_nodes SET wrapped_node_key = $1 WHERE id = $2", [
			a.wrapped_node_key,
			b.id,
		]);
		await db.end();

		await page.getByRole("button", { name: "Trash" }).click();
		await page.getByRole("button", { name: "Back to files" }).click();
		await page.getByText("2 item(s) could not be verified").waitFor();
		expect(await names(page)).toEqual([]);
	});
});
