// The upload worker's request bodies are spooled to the origin's private file system
// (client/vault/body-spool.ts), in real Chromium against the running system: an upload
// removes the spool folders a closed tab left behind, its bodies carry the right bytes, and
// once it ends its own files are gone; an upload whose folder is removed under it (site data
// cleared) stops with a clear message instead of retrying bodies that no longer exist.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { SPOOL_ROOT } from "../../../client/vault/body-spool";
import { type Page, sharedChromium } from "../../helpers/chromium";
import { scratchDir } from "../../helpers/scratch-dir";
import { expectDownloadOf, signedUpPage } from "./helpers";

const baseUrl = inject("baseUrl");
const chromiumBrowser = sharedChromium();
const scratch = scratchDir("coffre-spool-");

/** Names in the origin-private `upload-spool` folder, each with the files it holds. */
function spoolContents(page: Page): Promise<Record<string, string[]>> {
	return page.evaluate(async (spoolRoot) => {
		const root = await navigator.storage.getDirectory();
		const spool = await root.getDirectoryHandle(spoolRoot, { create: true });
		const listing: Record<string, string[]> = {};
		type Listable = FileSystemDirectoryHandle & { keys(): AsyncIterable<string> };
		for await (const name of (spool as Listable).keys()) {
			const folder = await spool.getDirectoryHandle(name);
			listing[name] = [];
			for await (const file of (folder as Listable).keys()) listing[name].push(file);
		}
		return listing;
	}, SPOOL_ROOT);
}

describe("upload spool", () => {
	it("spools bodies on disk, clears what a closed tab left and its own files", async () => {
		const { page, errors } = await signedUpPage(chromiumBrowser(), baseUrl, "spo", "Spo");
		// What a tab closed in the middle of an upload leaves: a folder nobody holds the lock of.
		await page.evaluate(async (spoolRoot) => {
			const root = await navigator.storage.getDirectory();
			const spool = await root.getDirectoryHandle(spoolRoot, { create: true });
			const folder = await spool.getDirectoryHandle("left-by-a-closed-tab", { create: true });
			const writable = await (
				await folder.getFileHandle("body-0", { create: true })
			).createWritable();
			await writable.write(new Uint8Array(4096).fill(7));
			await writable.close();
		}, SPOOL_ROOT);
		expect(await spoolContents(page)).toEqual({ "left-by-a-closed-tab": ["body-0"] });

		// Three chunks: the bodies' files are reused once a chunk is done.
		const bytes = randomBytes(9 * 2 ** 20 + 12_345);
		const path = scratch.path("spooled.bin");
		writeFileSync(path, bytes);
		await page.getByLabel("Files to upload").setInputFiles(path);
		await expect
			.poll(() => page.getByTestId("transfer").filter({ hasText: "Uploaded" }).count(), {
				timeout: 120_000,
			})
			.toBe(1);
		// The finished upload's worker removes its folder as it closes.
		await expect.poll(() => spoolContents(page), { timeout: 10_000 }).toEqual({});

		await expectDownloadOf(page, "spooled.bin", bytes);
		expect(errors).toEqual([]);
	});

	it("never retries bodies whose folder was removed mid-upload", async () => {
		const { page, errors } = await signedUpPage(chromiumBrowser(), baseUrl, "spr", "Spr");
		const bytes = randomBytes(40 * 2 ** 20 + 777);
		const path = scratch.path("cleared.bin");
		writeFileSync(path, bytes);
		await page.getByLabel("Files to upload").setInputFiles(path);
		// As when site data is cleared: the spool's folder goes while its upload runs, once it
		// holds a body (a file being written cannot be removed: this tries until it goes).
		const removed = await page.evaluate(async (spoolRoot) => {
			const root = await navigator.storage.getDirectory();
			const spool = await root.getDirectoryHandle(spoolRoot, { create: true });
			type Listable = FileSystemDirectoryHandle & { keys(): AsyncIterable<string> };
			for (let attempt = 0; attempt < 2000; attempt++) {
				for await (const name of (spool as Listable).keys()) {
					const folder = await spool.getDirectoryHandle(name);
					let bodies = 0;
					for await (const _ of (folder as Listable).keys()) bodies++;
					if (bodies === 0) continue;
					const removal = await spool.removeEntry(name, { recursive: true }).then(
						() => true,
						() => false,
					);
					if (removal) return true;
				}
				await new Promise((wait) => setTimeout(wait, 5));
			}
			return false;
		}, SPOOL_ROOT);
		expect(removed).toBe(true);
		// A chunk whose shards went with the folder cannot be sent: that ends the upload with a
		// clear message, not endless retries. (Had every chunk whose file went been sent already,
		// the rest go from memory and the upload finishes: then its bytes must be right.)
		const lost = "working copy in the browser's storage was removed";
		const transfer = page.getByTestId("transfer").first();
		await expect
			.poll(
				async () => {
					const text = (await transfer.textContent()) ?? "";
					return text.includes(lost) || text.includes("Uploaded");
				},
				{ timeout: 90_000 },
			)
			.toBe(true);
		if (!((await transfer.textContent()) ?? "").includes(lost))
			await expectDownloadOf(page, "cleared.bin", bytes);
		expect(errors).toEqual([]);
	});
});
