// Sharing with a person in real Chromium, two browsers and a third: the owner uploads a file and
// a folder with a subfolder, compares safety numbers with the recipient (who reads theirs on the
// People page) and shares both by handle — the file until a chosen day, the folder with no end
// date. The recipient finds both under Shared with me, downloads the file and, inside the
// folder's subfolder, another file: bytes equal. A third person sees nothing shared and the
// gateway answers NOT_FOUND when they ask for the share's shards.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import {
	addVirtualAuthenticator,
	collectPageErrors,
	type Page,
	sharedChromium,
} from "../../helpers/chromium";
import { scratchDir } from "../../helpers/scratch-dir";
import { signUpThroughUi } from "../accounts/helpers";

const baseUrl = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const chromiumBrowser = sharedChromium();
const scratch = scratchDir("coffre-share-");

async function person(handle: string, displayName: string): Promise<Page> {
	const page = await (await chromiumBrowser().newContext({ acceptDownloads: true })).newPage();
	await addVirtualAuthenticator(page);
	await signUpThroughUi(page, baseUrl, { handle, displayName });
	return page;
}

async function downloadOf(page: Page, click: () => Promise<void>): Promise<Buffer> {
	const [download] = await Promise.all([
		page.waitForEvent("download", { timeout: 120_000 }),
		click(),
	]);
	return readFileSync((await download.path()) as string);
}

/** A day `days` from now as a date input takes it (local time). */
function dayFromNow(days: number): string {
	const date = new Date(Date.now() + days * 24 * 3_600_000);
	const pad = (n: number) => String(n).padStart(2, "0");
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Opens the Share dialog of `name`, finds `handle` and returns the safety number shown. */
async function startSharing(page: Page, name: string, handle: string) {
	await page.getByRole("button", { name: `Share ${name}`, exact: true }).click();
	const dialog = page.getByRole("dialog", { name: `Share “${name}”` });
	await dialog.getByLabel("Their handle").fill(handle);
	await dialog.getByRole("button", { name: "Find" }).click();
	await dialog.getByTestId("safety-number").waitFor();
	return {
		dialog,
		safetyNumber: (await dialog.getByTestId("safety-number").textContent()) ?? "",
	};
}

const sharedNames = (page: Page) =>
	page.getByTestId("shared-item").locator("td:first-child").allTextContents();

describe("sharing with a person", () => {
	it("shares a file and a folder by handle; the recipient opens both, a third person nothing", async () => {
		const suffix = randomUUID().slice(0, 6);
		const ownerHandle = `olive-${suffix}`;
		const recipientHandle = `rita-${suffix}`;
		const owner = await person(ownerHandle, "Olive");
		const ownerErrors = collectPageErrors(owner);
		const recipient = await person(recipientHandle, "Rita");
		const recipientErrors = collectPageErrors(recipient);
		const stranger = await person(`sam-${suffix}`, "Sam");

		const fileName = `report-${suffix}.txt`;
		const fileBytes = Buffer.from(
			`Quarterly report ${suffix}\n${randomBytes(2000).toString("hex")}`,
		);
		writeFileSync(scratch.path(fileName), fileBytes);
		const project = scratch.path("Project");
		mkdirSync(join(project, "Drafts"), { recursive: true });
		writeFileSync(join(project, "notes.txt"), "notes for the project");
		const draftBytes = randomBytes(300_000);
		writeFileSync(join(project, "Drafts", "draft.bin"), draftBytes);

		await owner.getByLabel("Files to upload").setInputFiles(scratch.path(fileName));
		await expect
			.poll(() => owner.getByTestId("transfer").filter({ hasText: "Uploaded" }).count())
			.toBe(1);
		await owner.getByLabel("Folder to upload").setInputFiles(project);
		await expect
			.poll(() => owner.getByTestId("transfer").filter({ hasText: "Uploaded" }).count(), {
				timeout: 120_000,
			})
			.toBe(2);

		// The recipient reads the owner's safety number on the People page, to compare.
		await recipient.getByRole("link", { name: "People" }).click();
		await recipient.getByLabel("Handle").fill(ownerHandle);
		await recipient.getByRole("button", { name: "Look up" }).click();
		const recipientSees = (await recipient.getByTestId("safety-number").textContent()) ?? "";
		expect(recipientSees).toMatch(/^(\d{5} ){11}\d{5}$/);

		// The file, until a chosen day: a first-time recipient needs the numbers confirmed.
		const first = await startSharing(owner, fileName, recipientHandle);
		expect(first.safetyNumber).toBe(recipientSees);
		const shareFile = first.dialog.getByRole("button", { name: "Share with Rita" });
		await first.dialog.getByLabel("Last day of access (optional)").fill(dayFromNow(30));
		expect(await shareFile.isDisabled()).toBe(true);
		await first.dialog.getByText(/What they download stays with them/).waitFor();
		await first.dialog.getByText(/If 3 of them colluded, they could ignore/).waitFor();
		await first.dialog
			.getByText("Viewer is the only access level for now", { exact: false })
			.waitFor();
		await first.dialog.getByLabel(/I compared this safety number with Rita/).check();
		await shareFile.click();
		await first.dialog
			.getByText(`“${fileName}” is shared with Rita (@${recipientHandle})`, {
				exact: false,
			})
			.waitFor({ timeout: 60_000 });
		await first.dialog.getByRole("button", { name: "Done" }).click();

		// The folder, with no end date: Rita is now verified, no confirmation needed.
		const second = await startSharing(owner, "Project", recipientHandle);
		expect(second.safetyNumber).toBe(recipientSees);
		await second.dialog
			.getByTestId("identity-status")
			.filter({ hasText: /^Verified/ })
			.waitFor();
		await second.dialog.getByRole("button", { name: "Share with Rita" }).click();
		await second.dialog.getByText("“Project” is shared with Rita", { exact: false }).waitFor({
			timeout: 60_000,
		});
		await second.dialog.getByRole("button", { name: "Done" }).click();

		// The recipient: both items, from Olive.
		await recipient.getByRole("button", { name: /mark as verified/ }).click();
		await recipient
			.getByRole("navigation", { name: "Account" })
			.getByRole("link", { name: "Shared with me" })
			.click();
		await expect.poll(() => sharedNames(recipient)).toEqual(["Project", fileName]);
		const fileRow = recipient.getByTestId("shared-item").filter({ hasText: fileName });
		expect(await fileRow.textContent()).toContain(`Olive @${ownerHandle}`);
		expect(await fileRow.textContent()).toContain("Safety number verified");

		const downloaded = await downloadOf(recipient, () =>
			recipient.getByRole("button", { name: `Download ${fileName}`, exact: true }).click(),
		);
		expect(downloaded.equals(fileBytes)).toBe(true);

		await recipient.getByRole("button", { name: "Project", exact: true }).click();
		await expect.poll(() => sharedNames(recipient)).toEqual(["Drafts", "notes.txt"]);
		await recipient.getByRole("button", { name: "Drafts", exact: true }).click();
		await expect.poll(() => sharedNames(recipient)).toEqual(["draft.bin"]);
		expect(await recipient.getByRole("navigation", { name: "Folder path" }).textContent()).toMatch(
			/Shared with me\s*\/\s*Project\s*\/\s*Drafts/,
		);
		const draft = await downloadOf(recipient, () =>
			recipient.getByRole("button", { name: "Download draft.bin", exact: true }).click(),
		);
		expect(draft.equals(draftBytes)).toBe(true);
		await recipient.getByText("“draft.bin” downloaded and verified.").waitFor();

		// A third person: nothing shared, and the share's shards are not theirs to read.
		await stranger
			.getByRole("navigation", { name: "Account" })
			.getByRole("link", { name: "Shared with me" })
			.click();
		await stranger.getByText("Nothing is shared with you yet.").waitFor();
		const db = new pg.Client({ connectionString: databaseUrl });
		await db.connect();
		const { rows } = await db.query<{
			share_id: string;
			version_id: string;
			chunk: number;
			shard: number;
		}>(
			`SELECT s.id AS share_id, p.version_id, p.chunk_index AS chunk, p.shard_index AS shard
			 FROM shares s
			 JOIN users u ON u.id = s.recipient_id
			 JOIN file_versions v ON v.node_id = s.node_id
			 JOIN shard_placements p ON p.version_id = v.id
			 WHERE u.handle = $1
			 LIMIT 1`,
			[recipientHandle],
		);
		await db.end();
		const shard = rows[0];
		expect(shard).toBeDefined();
		const url = `/api/chunks/${shard?.version_id}/${shard?.chunk}/${shard?.shard}?share=${shard?.share_id}`;
		const statusFor = (page: Page) =>
			page.evaluate(
				async (path) => (await fetch(path, { credentials: "same-origin" })).status,
				url,
			);
		expect(await statusFor(recipient)).toBe(200);
		expect(await statusFor(stranger)).toBe(404);
		const ownerPath = url.replace(/\?share=.*/, "");
		expect(
			await stranger.evaluate(
				async (path) => (await fetch(path, { credentials: "same-origin" })).status,
				ownerPath,
			),
		).toBe(404);

		expect(ownerErrors).toEqual([]);
		expect(recipientErrors).toEqual([]);
	});
});
