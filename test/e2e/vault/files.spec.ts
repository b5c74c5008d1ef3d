// Files end to end in real Chromium against the running system and its six storage nodes:
// upload several files (an empty one and one of 64 MiB among them), reload and unlock,
// download each and compare bytes; upload a new version and download both versions. The
// database never holds a file name or content.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import {
	addVirtualAuthenticator,
	collectPageErrors,
	type Page,
	sharedChromium,
} from "../../helpers/chromium";
import { dumpDatabase, filesContaining } from "../../helpers/database-scan";
import { scratchDir } from "../../helpers/scratch-dir";
import { signUpThroughUi } from "../accounts/helpers";

const baseUrl = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const dataDir = inject("dataDir");
const chromiumBrowser = sharedChromium();
const scratch = scratchDir("coffre-files-");

async function downloadOf(page: Page, click: () => Promise<void>): Promise<Buffer> {
	const [download] = await Promise.all([
		page.waitForEvent("download", { timeout: 120_000 }),
		click(),
	]);
	// Streamed to disk through the download service worker, not collected into a Blob.
	expect(download.url()).toMatch(/\/downloads\/[A-Za-z0-9_-]{22}$/);
	return readFileSync((await download.path()) as string);
}

describe("vault files", () => {
	it("uploads, downloads, versions — bytes intact, nothing readable on the server", async () => {
		const page = await (await chromiumBrowser().newContext({ acceptDownloads: true })).newPage();
		const errors = collectPageErrors(page);
		// Everything the browser sends: URLs and bodies (shard uploads included).
		const sent: Buffer[] = [];
		// Shard reads: a download asks for k = 4 shards per chunk, not more, when all answer —
		// in one request per chunk.
		let shardReads = 0;
		let chunkRequests = 0;
		page.on("request", (request) => {
			sent.push(Buffer.from(request.url()), request.postDataBuffer() ?? Buffer.alloc(0));
			if (request.method() !== "GET" || !request.url().includes("/api/chunks/")) return;
			const listed = new URL(request.url()).searchParams.get("shards");
			if (listed !== null) chunkRequests++;
			shardReads += listed === null ? 1 : listed.split(",").length;
		});
		await addVirtualAuthenticator(page);
		await signUpThroughUi(page, baseUrl, {
			handle: `fay-${randomUUID().slice(0, 6)}`,
			displayName: "Fay",
		});

		const canary = `canary-${randomUUID()}`;
		const files = {
			[`${canary}.txt`]: Buffer.from(`The canary content ${canary}\n`),
			"empty.bin": Buffer.alloc(0),
			"large.bin": randomBytes(64 * 2 ** 20),
		};
		const paths = Object.entries(files).map(([name, bytes]) => {
			const path = scratch.path(name);
			writeFileSync(path, bytes);
			return path;
		});
		await page.getByLabel("Files to upload").setInputFiles(paths);
		await expect
			.poll(() => page.getByTestId("transfer").filter({ hasText: "Uploaded" }).count(), {
				timeout: 240_000,
			})
			.toBe(3);

		await page.reload();
		await page.getByRole("button", { name: "Unlock with passkey" }).click();
		// Each file's size in its row, and the listing sorted by it (largest first).
		const sizeOf = (name: string) =>
			page.getByRole("row").filter({ hasText: name }).locator("td").nth(1).textContent();
		await expect.poll(() => sizeOf("large.bin")).toBe("67 MB");
		expect(await sizeOf("empty.bin")).toBe("0 B");
		expect(await sizeOf(`${canary}.txt`)).toBe(`${files[`${canary}.txt`]?.length} B`);
		await page.getByLabel("Sort by").selectOption("size");
		expect(await page.locator("tbody tr td:first-child").allTextContents()).toEqual([
			"large.bin",
			`${canary}.txt`,
			"empty.bin",
		]);
		for (const [name, bytes] of Object.entries(files)) {
			shardReads = 0;
			chunkRequests = 0;
			const downloaded = await downloadOf(page, () =>
				page.getByRole("button", { name: `Download ${name}`, exact: true }).click(),
			);
			expect(downloaded.equals(bytes), name).toBe(true);
			const chunks = Math.max(1, Math.ceil(bytes.length / 2 ** 22));
			expect(shardReads, name).toBe(4 * chunks);
			expect(chunkRequests, name).toBe(chunks);
		}

		const second = Buffer.from(`Second version of the canary ${canary}\n`);
		writeFileSync(scratch.path("v2.txt"), second);
		await page.getByRole("button", { name: `More actions for ${canary}.txt` }).click();
		await page.getByRole("button", { name: `New version of ${canary}.txt` }).click();
		await page.getByLabel("Files to upload").setInputFiles(scratch.path("v2.txt"));
		await expect
			.poll(() => page.getByTestId("transfer").filter({ hasText: "Uploaded" }).count())
			.toBe(1);
		await expect.poll(() => sizeOf(`${canary}.txt`)).toBe(`${second.length} B`);
		await page.getByRole("button", { name: "Clear finished transfers" }).click();
		expect(await page.getByTestId("transfer").count()).toBe(0);
		expect(await page.getByRole("region", { name: "Transfers" }).count()).toBe(0);
		expect(
			(
				await downloadOf(page, () =>
					page.getByRole("button", { name: `Download ${canary}.txt`, exact: true }).click(),
				)
			).equals(second),
		).toBe(true);
		await page.getByRole("button", { name: `More actions for ${canary}.txt` }).click();
		await page.getByRole("button", { name: `Versions of ${canary}.txt` }).click();
		// Each version with its own size, newest first.
		await expect
			.poll(() => page.getByRole("dialog").getByRole("listitem").allInnerTexts())
			.toEqual([
				expect.stringMatching(new RegExp(`^Version 2 \\(current\\)\\n${second.length} B · `)),
				expect.stringMatching(
					new RegExp(`^Version 1\\n${(files[`${canary}.txt`] as Buffer).length} B · `),
				),
			]);
		const first = await downloadOf(page, () =>
			page.getByRole("button", { name: "Download version 1" }).click(),
		);
		expect(first.equals(files[`${canary}.txt`] as Buffer)).toBe(true);

		const dump = await dumpDatabase(databaseUrl);
		expect(dump).not.toContain(canary);
		expect(dump).not.toContain(Buffer.from(canary).toString("hex"));
		// Neither the storage nodes' disks nor the server's log hold the name or the content.
		expect(filesContaining(join(dataDir, "nodes"), canary)).toEqual([]);
		expect(filesContaining(join(dataDir, "logs"), canary)).toEqual([]);
		expect(filesContaining(join(dataDir, "nodes"), "The canary content")).toEqual([]);
		// Nor does any request the browser made carry them.
		expect(sent.length).toBeGreaterThan(20);
		const leaked = sent.filter(
			(bytes) => bytes.includes(canary) || bytes.includes("The canary content"),
		);
		expect(leaked.map((bytes) => bytes.subarray(0, 80).toString())).toEqual([]);
		expect(errors).toEqual([]);
	});
});
