// Uploads that survive interruptions, in real Chromium against the running system: a tab
// reloaded in the middle of an upload offers to resume it, and resuming with the same file
// sends only the chunks that were not stored yet; a short network outage only pauses an
// upload; a file that changed is refused; an interrupted upload can be discarded.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, utimesSync, writeFileSync } from "node:fs";
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
const chromiumBrowser = sharedChromium();
const CHUNK = 4 * 2 ** 20;
const SHARDS_PER_CHUNK = 6;
const scratch = scratchDir("coffre-resume-");

async function signedUpPage(): Promise<Page> {
	const page = await (await chromiumBrowser().newContext({ acceptDownloads: true })).newPage();
	await addVirtualAuthenticator(page);
	await signUpThroughUi(page, baseUrl, {
		handle: `rue-${randomUUID().slice(0, 6)}`,
		displayName: "Rue",
	});
	return page;
}

/** Counts shard uploads the gateway accepted, and all shard uploads attempted. */
function countShardPuts(page: Page) {
	const counts = { attempted: 0, stored: 0 };
	page.on("request", (request) => {
		if (request.method() === "PUT" && request.url().includes("/api/chunks/")) counts.attempted++;
	});
	page.on("response", (response) => {
		const request = response.request();
		if (request.method() === "PUT" && request.url().includes("/api/chunks/") && response.ok())
			counts.stored++;
	});
	return counts;
}

async function downloadOf(page: Page, name: string): Promise<Buffer> {
	const [download] = await Promise.all([
		page.waitForEvent("download", { timeout: 120_000 }),
		page.getByRole("button", { name: `Download ${name}`, exact: true }).click(),
	]);
	return readFileSync((await download.path()) as string);
}

/** Uploads `path` and reloads the tab once `chunks` chunks are fully stored. */
async function interruptUpload(page: Page, path: string, chunks: number) {
	const counts = countShardPuts(page);
	await page.getByLabel("Files to upload").setInputFiles(path);
	// Chunks go one after another, each chunk's shards in parallel: this many stored shards
	// means the first `chunks` chunks are complete.
	await expect
		.poll(() => counts.stored, { timeout: 120_000, interval: 50 })
		.toBeGreaterThanOrEqual(chunks * SHARDS_PER_CHUNK);
	await page.reload();
	await page.getByRole("button", { name: "Unlock with passkey" }).click();
}

const uploadedRows = (page: Page) =>
	page.getByTestId("transfer").filter({ hasText: "Uploaded" }).count();

describe("resumable uploads", () => {
	it("resumes an upload cut off by a reload, sending only what was not stored", async () => {
		const page = await signedUpPage();
		const errors = collectPageErrors(page);
		const bytes = randomBytes(10 * CHUNK);
		const path = scratch.path("scan-archive.bin");
		writeFileSync(path, bytes);
		await interruptUpload(page, path, 3);

		const interrupted = page.getByTestId("interrupted-upload");
		await expect.poll(() => interrupted.textContent()).toMatch(/scan-archive\.bin/);
		// Not a file one could open yet.
		expect(await page.getByRole("button", { name: "Download scan-archive.bin" }).count()).toBe(0);

		const counts = countShardPuts(page);
		const [chooser] = await Promise.all([
			page.waitForEvent("filechooser"),
			page.getByRole("button", { name: "Resume scan-archive.bin" }).click(),
		]);
		await chooser.setFiles(path);
		await expect.poll(() => uploadedRows(page), { timeout: 240_000 }).toBe(1);
		// At least 3 of the 10 chunks were stored before: they were checked, not sent again.
		expect(counts.attempted).toBeGreaterThan(0);
		expect(counts.attempted).toBeLessThanOrEqual(7 * SHARDS_PER_CHUNK);
		expect(await interrupted.count()).toBe(0);
		expect((await downloadOf(page, "scan-archive.bin")).equals(bytes)).toBe(true);
		expect(errors).toEqual([]);
	});

	it("refuses to resume with a file that changed, and discards the interrupted upload", async () => {
		const page = await signedUpPage();
		const path = scratch.path("ledger.bin");
		const original = randomBytes(6 * CHUNK);
		writeFileSync(path, original);
		const modified = new Date("2026-01-02T03:04:05Z");
		utimesSync(path, modified, modified);
		await interruptUpload(page, path, 2);

		// Same size, same date, different first chunk: the recorded roots do not match.
		const changed = Buffer.from(original);
		changed[0] = (changed[0] as number) ^ 0xff;
		writeFileSync(path, changed);
		utimesSync(path, modified, modified);
		const counts = countShardPuts(page);
		const [chooser] = await Promise.all([
			page.waitForEvent("filechooser"),
			page.getByRole("button", { name: "Resume ledger.bin" }).click(),
		]);
		await chooser.setFiles(path);
		await expect
			.poll(() => page.getByTestId("transfer").textContent())
			.toMatch(/This file changed since its upload was interrupted/);
		expect(counts.attempted).toBe(0);

		await page.getByRole("button", { name: "Discard ledger.bin" }).click();
		await page.getByText("The interrupted upload of “ledger.bin” was discarded.").waitFor();
		expect(await page.getByTestId("interrupted-upload").count()).toBe(0);
		expect(await page.getByRole("button", { name: "Download ledger.bin" }).count()).toBe(0);
	});

	it("waits through a short network outage instead of failing", async () => {
		const page = await signedUpPage();
		const bytes = randomBytes(CHUNK + 12_345);
		const path = scratch.path("outage.bin");
		writeFileSync(path, bytes);
		// The network drops every shard upload of the first attempt.
		let dropped = 0;
		await page.route("**/api/chunks/**", async (route) => {
			if (route.request().method() === "PUT" && dropped < SHARDS_PER_CHUNK) {
				dropped++;
				await route.abort("internetdisconnected");
			} else await route.continue();
		});
		const seen: string[] = [];
		const watch = setInterval(() => {
			void page
				.getByTestId("transfer")
				.textContent()
				.then((text) => text && seen.push(text))
				.catch(() => {});
		}, 100);
		await page.getByLabel("Files to upload").setInputFiles(path);
		await expect.poll(() => uploadedRows(page), { timeout: 120_000 }).toBe(1);
		clearInterval(watch);
		expect(dropped).toBe(SHARDS_PER_CHUNK);
		expect(seen.some((text) => text.includes("waiting for the network"))).toBe(true);
		expect((await downloadOf(page, "outage.bin")).equals(bytes)).toBe(true);
	});
});
