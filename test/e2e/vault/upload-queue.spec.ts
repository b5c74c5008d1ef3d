// A batch of uploads in real Chromium against the running system: every file picked is listed
// at once, queued behind the one uploading, and the overall bar counts them all; a queued file
// can be cancelled before its turn (it is never uploaded and leaves the batch's total), and
// "Cancel all" stops the running upload and everything queued behind it; a batch of many
// files scrolls in a box of its own; the storage meter counts what was stored. The chunk uploads are held back (real requests, let through later)
// so that the queue can be seen.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import type { Page } from "../../helpers/chromium";
import { sharedChromium } from "../../helpers/chromium";
import { scratchDir } from "../../helpers/scratch-dir";
import { signedUpPage } from "./helpers";

const baseUrl = inject("baseUrl");
const chromiumBrowser = sharedChromium();
const scratch = scratchDir("coffre-upload-queue-");

/** Holds every chunk upload of `page` until the returned function is called. */
async function holdChunkUploads(page: Page): Promise<() => void> {
	let release = () => {};
	const held = new Promise<void>((resolve) => {
		release = resolve;
	});
	await page.route(
		(url) => url.pathname.startsWith("/api/chunks/"),
		async (route) => {
			if (route.request().method() === "PUT") await held;
			return route.fallback();
		},
	);
	return release;
}

function files(entries: Record<string, number>): string[] {
	return Object.entries(entries).map(([name, size]) => {
		const path = scratch.path(name);
		writeFileSync(path, randomBytes(size));
		return path;
	});
}

const rowOf = (page: Page, name: string) => page.getByTestId("transfer").filter({ hasText: name });
const listed = (page: Page) => page.locator("tbody tr td:first-child").allTextContents();

describe("upload queue", () => {
	it("lists a batch at once and lets a queued file be cancelled before its turn", async () => {
		const { page, errors } = await signedUpPage(chromiumBrowser(), baseUrl, "upq", "Quentin");
		const release = await holdChunkUploads(page);
		await page.getByLabel("Files to upload").setInputFiles(
			files({
				"first.bin": 1_500_000,
				"second.txt": 200_000,
				"third.txt": 300_000,
				"fourth.txt": 100,
			}),
		);

		await expect.poll(() => page.getByTestId("transfer").count()).toBe(4);
		for (const name of ["second.txt", "third.txt", "fourth.txt"])
			await expect.poll(() => rowOf(page, name).textContent()).toContain("Queued");
		await expect.poll(() => rowOf(page, "first.bin").textContent()).toContain("0 B of 1.5 MB");
		const total = page.getByTestId("transfers-total");
		expect(await total.textContent()).toBe("0 B of 2.0 MB");

		await page.getByRole("button", { name: "Cancel third.txt", exact: true }).click();
		await expect.poll(() => rowOf(page, "third.txt").textContent()).toContain("Cancelled");
		expect(await total.textContent()).toBe("0 B of 1.7 MB");

		release();
		for (const name of ["first.bin", "second.txt", "fourth.txt"])
			await expect.poll(() => rowOf(page, name).textContent()).toContain("Uploaded");
		// The bar ends full: the cancelled file is not part of the batch any more.
		const bar = page.getByRole("progressbar", { name: "All transfers" });
		expect(await bar.getAttribute("value")).toBe(await bar.getAttribute("max"));
		expect(await total.textContent()).toBe("1.7 MB of 1.7 MB");
		await expect.poll(() => listed(page)).toEqual(["first.bin", "fourth.txt", "second.txt"]);
		// The storage meter counts what was stored, against the default quota.
		await expect
			.poll(() => page.getByTestId("storage-usage").textContent())
			.toBe("1.7 MB of 10 GB used");
		// Never started: no interrupted upload to resume either.
		expect(await page.getByRole("region", { name: "Interrupted uploads" }).count()).toBe(0);
		expect(errors).toEqual([]);
	});

	it("keeps a batch of many files in a box of its own that scrolls", async () => {
		const { page, errors } = await signedUpPage(chromiumBrowser(), baseUrl, "upqm", "Quincy");
		const release = await holdChunkUploads(page);
		const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`photo-${i}.jpg`, 10]));
		await page.getByLabel("Files to upload").setInputFiles(files(many));
		await expect.poll(() => page.getByTestId("transfer").count()).toBe(30);
		const list = page.getByRole("region", { name: "Transfers" }).getByRole("list");
		const { clientHeight, scrollHeight } = await list.evaluate((element) => ({
			clientHeight: element.clientHeight,
			scrollHeight: element.scrollHeight,
		}));
		// 30 rows take ~1,100 px; the box shows a few of them and scrolls to the rest.
		expect(clientHeight).toBeLessThanOrEqual(288);
		expect(scrollHeight).toBeGreaterThan(clientHeight * 2);
		// The last file's Cancel is reachable: focusing it scrolls it into view.
		const last = page.getByRole("button", { name: "Cancel photo-29.jpg", exact: true });
		await last.focus();
		await expect.poll(() => list.evaluate((element) => element.scrollTop)).toBeGreaterThan(0);
		await page.getByRole("button", { name: "Cancel all transfers" }).click();
		release();
		await expect
			.poll(() => page.getByTestId("transfer").filter({ hasText: "Cancelled" }).count())
			.toBe(30);
		expect(errors).toEqual([]);
	});

	it("cancels the running upload and every queued one with Cancel all", async () => {
		const { page, errors } = await signedUpPage(chromiumBrowser(), baseUrl, "upqa", "Quinn");
		const release = await holdChunkUploads(page);
		await page
			.getByLabel("Files to upload")
			.setInputFiles(files({ "fifth.bin": 1_000_000, "sixth.txt": 5_000, "seventh.txt": 7 }));
		await expect.poll(() => rowOf(page, "fifth.bin").textContent()).toContain("0 B of 1.0 MB");

		await page.getByRole("button", { name: "Cancel all transfers" }).click();
		for (const name of ["fifth.bin", "sixth.txt", "seventh.txt"])
			await expect.poll(() => rowOf(page, name).textContent()).toContain("Cancelled");
		await expect
			.poll(() => page.getByRole("button", { name: "Cancel all transfers" }).count())
			.toBe(0);
		release();
		// Nothing was stored: the listing stays empty.
		await page.reload();
		await page.getByRole("button", { name: "Unlock with passkey" }).click();
		await expect.poll(() => page.getByText("This folder is empty").count()).toBe(1);
		expect(await listed(page)).toEqual([]);
		expect(errors).toEqual([]);
	});
});
