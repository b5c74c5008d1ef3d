// Uploads that survive interruptions, in real Chromium against the running system: a tab
// reloaded in the middle of an upload offers to resume it, and resuming with the same file
// sends only the chunks that were not stored yet; a short network outage only pauses an
// upload; a commit whose answer was lost still ends as uploaded; a file that changed is
// refused, and so is one changed on disk during its upload; an interrupted upload can be
// discarded; Cancel stops
// the shard requests in flight; a session that ends mid-upload stops it at once, clearly.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, utimesSync, writeFileSync } from "node:fs";
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
const CHUNK = 4 * 2 ** 20;
const scratch = scratchDir("coffre-resume-");

async function signedUpPage(handle = `rue-${randomUUID().slice(0, 6)}`): Promise<Page> {
	const page = await (await chromiumBrowser().newContext({ acceptDownloads: true })).newPage();
	await addVirtualAuthenticator(page);
	await signUpThroughUi(page, baseUrl, { handle, displayName: "Rue" });
	return page;
}

/**
 * Counts chunk uploads (one PUT carries a chunk's shards) the gateway answered, and all chunk
 * uploads attempted.
 */
function countChunkPuts(page: Page) {
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
	const counts = countChunkPuts(page);
	await page.getByLabel("Files to upload").setInputFiles(path);
	// Two chunks are sent at a time, each chunk's shards in one request: this many answered
	// requests (every node is up) means at least that many chunks are recorded as stored.
	await expect
		.poll(() => counts.stored, { timeout: 120_000, interval: 50 })
		.toBeGreaterThanOrEqual(chunks);
	await page.reload();
	await page.getByRole("button", { name: "Unlock with passkey" }).click();
}

/**
 * One person for the last three tests: sign-ups from one address are rate-limited, and the
 * whole browser suite signs up from 127.0.0.1.
 */
const lastHandle = `rue-${randomUUID().slice(0, 6)}`;
let lastPage: Promise<Page> | undefined;
const pageOfLastTests = () => {
	lastPage ??= signedUpPage(lastHandle);
	return lastPage;
};

/** The text of the transfer row of `name`. */
const rowOf = (page: Page, name: string) =>
	page.getByTestId("transfer").filter({ hasText: name }).textContent();

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

		const counts = countChunkPuts(page);
		const [chooser] = await Promise.all([
			page.waitForEvent("filechooser"),
			page.getByRole("button", { name: "Resume scan-archive.bin" }).click(),
		]);
		await chooser.setFiles(path);
		await expect.poll(() => uploadedRows(page), { timeout: 240_000 }).toBe(1);
		// At least 3 of the 10 chunks were stored before: they were checked, not sent again.
		expect(counts.attempted).toBeGreaterThan(0);
		expect(counts.attempted).toBeLessThanOrEqual(7);
		// The list of interrupted uploads is read again once the upload has committed.
		await expect.poll(() => interrupted.count()).toBe(0);
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
		const counts = countChunkPuts(page);
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
		const page = await pageOfLastTests();
		const bytes = randomBytes(CHUNK + 12_345);
		const path = scratch.path("outage.bin");
		writeFileSync(path, bytes);
		// The network drops the first attempt to upload the chunk's shards.
		let dropped = 0;
		await page.route("**/api/chunks/**", async (route) => {
			if (route.request().method() === "PUT" && dropped < 1) {
				dropped++;
				await route.abort("internetdisconnected");
			} else await route.continue();
		});
		// Watched in the page, on every change of the DOM: the wait may be shown only briefly.
		await page.evaluate(() => {
			const seen = window as unknown as { sawWaiting?: boolean };
			seen.sawWaiting = false;
			new MutationObserver(() => {
				const text = document.querySelector('[data-testid="transfer"]')?.textContent ?? "";
				if (text.includes("waiting for the network")) seen.sawWaiting = true;
			}).observe(document.body, { subtree: true, childList: true, characterData: true });
		});
		await page.getByLabel("Files to upload").setInputFiles(path);
		await expect.poll(() => uploadedRows(page), { timeout: 120_000 }).toBe(1);
		expect(dropped).toBe(1);
		expect(
			await page.evaluate(() => (window as unknown as { sawWaiting?: boolean }).sawWaiting),
		).toBe(true);
		expect((await downloadOf(page, "outage.bin")).equals(bytes)).toBe(true);
	});

	it("finishes an upload whose commit answer was lost, instead of calling it failed", async () => {
		const page = await pageOfLastTests();
		await page.unrouteAll({ behavior: "ignoreErrors" });
		const bytes = randomBytes(12_345);
		const path = scratch.path("answer.bin");
		writeFileSync(path, bytes);
		// The server commits the version; the connection drops before its answer reaches the page.
		let lost = 0;
		await page.route(
			(url) => url.pathname.includes("files.commit"),
			async (route) => {
				if (lost > 0) return route.continue();
				lost++;
				await route.fetch();
				await route.abort("connectionreset");
			},
		);
		await page.getByLabel("Files to upload").setInputFiles(path);
		await expect
			.poll(() => rowOf(page, "answer.bin"), { timeout: 60_000 })
			.toMatch(/Uploaded|Failed/);
		expect(await rowOf(page, "answer.bin")).toMatch(/Uploaded/);
		expect(lost).toBe(1);
		expect((await downloadOf(page, "answer.bin")).equals(bytes)).toBe(true);
		expect(await page.getByText("missing from what the server returned").count()).toBe(0);
	});

	it("stops at once when cancelled, aborting the shard uploads in flight", async () => {
		const page = await pageOfLastTests();
		await page.unrouteAll({ behavior: "ignoreErrors" });
		const path = scratch.path("held.bin");
		writeFileSync(path, randomBytes(3 * CHUNK));
		// Shard uploads reach the gateway only when this test lets them: none does.
		let held = 0;
		let failed = 0;
		await page.route("**/api/chunks/**", () => {
			held++;
		});
		page.on("requestfailed", (request) => {
			if (request.method() === "PUT" && request.url().includes("/api/chunks/")) failed++;
		});
		await page.getByLabel("Files to upload").setInputFiles(path);
		// Two chunks are sent at a time: both their requests end up held.
		await expect.poll(() => held, { timeout: 60_000 }).toBe(2);
		await page.getByRole("button", { name: "Cancel held.bin" }).click();
		await expect.poll(() => rowOf(page, "held.bin"), { timeout: 5_000 }).toMatch(/Cancelled/);
		await expect.poll(() => failed, { timeout: 5_000 }).toBe(2);
	});

	it("stops, saying why, when the file changes on disk during the upload", async () => {
		const page = await pageOfLastTests();
		await page.unrouteAll({ behavior: "ignoreErrors" });
		const counts = countChunkPuts(page);
		const path = scratch.path("edited-meanwhile.bin");
		const bytes = randomBytes(12 * CHUNK);
		writeFileSync(path, bytes);
		await page.getByLabel("Files to upload").setInputFiles(path);
		await expect.poll(() => counts.stored, { timeout: 60_000, interval: 20 }).toBeGreaterThan(0);
		// Saved over by another program: the browser refuses to read the picked file any further.
		bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
		writeFileSync(path, bytes);
		const later = new Date(Date.now() + 60_000);
		utimesSync(path, later, later);
		await expect
			.poll(() => rowOf(page, "edited-meanwhile.bin"), { timeout: 60_000 })
			.toMatch(/could not be read to the end: it was moved, changed or deleted/);
	});

	it("stops at once, saying why, when the session ends during an upload", async () => {
		// Last: it ends this person's sessions.
		const handle = lastHandle;
		const page = await pageOfLastTests();
		await page.unrouteAll({ behavior: "ignoreErrors" });
		const path = scratch.path("signed-out.bin");
		writeFileSync(path, randomBytes(3 * CHUNK));
		// The first shard upload waits while the person's sessions end for real (as a sign-out
		// elsewhere would end them), then goes on: the gateway refuses it.
		let ended: Promise<void> | undefined;
		await page.route("**/api/chunks/**", async (route) => {
			ended ??= (async () => {
				const db = new pg.Client({ connectionString: databaseUrl });
				await db.connect();
				try {
					await db.query(
						"DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE handle = $1)",
						[handle],
					);
				} finally {
					await db.end();
				}
			})();
			await ended;
			await route.continue();
		});
		const started = Date.now();
		await page.getByLabel("Files to upload").setInputFiles(path);
		await expect
			.poll(() => rowOf(page, "signed-out.bin"), { timeout: 20_000 })
			.toMatch(/You were signed out, so the upload stopped/);
		// Not after half a minute of retries that could never succeed.
		expect(Date.now() - started).toBeLessThan(20_000);
	});
});
