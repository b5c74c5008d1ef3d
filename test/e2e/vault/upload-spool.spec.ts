// The upload worker's request bodies are spooled to the origin's private file system
// (client/vault/body-spool.ts), in real Chromium against the running system: an upload
// removes the spool folders a closed tab left behind, its bodies carry the right bytes, and
// once it ends its own files are gone.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
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
const scratch = scratchDir("coffre-spool-");

/** Names in the origin-private `upload-spool` folder, each with the files it holds. */
function spoolContents(page: Page): Promise<Record<string, string[]>> {
	return page.evaluate(async () => {
		const root = await navigator.storage.getDirectory();
		const spool = await root.getDirectoryHandle("upload-spool", { create: true });
		const listing: Record<string, string[]> = {};
		type Listable = FileSystemDirectoryHandle & { keys(): AsyncIterable<string> };
		for await (const name of (spool as Listable).keys()) {
			const folder = await spool.getDirectoryHandle(name);
			listing[name] = [];
			for await (const file of (folder as Listable).keys()) listing[name].push(file);
		}
		return listing;
	});
}

describe("upload spool", () => {
	it("spools bodies on disk, clears what a closed tab left and its own files", async () => {
		const page = await (await chromiumBrowser().newContext({ acceptDownloads: true })).newPage();
		const errors = collectPageErrors(page);
		await addVirtualAuthenticator(page);
		await signUpThroughUi(page, baseUrl, {
			handle: `spo-${randomUUID().slice(0, 6)}`,
			displayName: "Spo",
		});
		// What a tab closed in the middle of an upload leaves: a folder nobody holds the lock of.
		await page.evaluate(async () => {
			const root = await navigator.storage.getDirectory();
			const spool = await root.getDirectoryHandle("upload-spool", { create: true });
			const folder = await spool.getDirectoryHandle("left-by-a-closed-tab", { create: true });
			const writable = await (
				await folder.getFileHandle("body-0", { create: true })
			).createWritable();
			await writable.write(new Uint8Array(4096).fill(7));
			await writable.close();
		});
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

		const [download] = await Promise.all([
			page.waitForEvent("download", { timeout: 120_000 }),
			page.getByRole("button", { name: "Download spooled.bin", exact: true }).click(),
		]);
		expect(readFileSync((await download.path()) as string).equals(bytes)).toBe(true);
		expect(errors).toEqual([]);
	});
});
