// A malicious server against the vault in real Chromium (DESIGN §9.2–3): a man-in-the-middle in
// the page rewrites the real server's responses — swapped wrapped keys, items injected from
// another folder or another person's vault, an item left out, a folder served as it was before
// a rename, a file's newest version hidden, a manifest replayed from another version, chunks
// swapped or replayed from another version, a reordered shard list, one shard's bytes wrong
// among honest ones. Every attack that could give wrong data is refused with a message on the
// page, the item does not open and no file is kept; the honest flows succeed around them (the
// wrong shard is replaced by another), so a harness that did nothing would fail these tests.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import type { Download, Route } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import {
	addVirtualAuthenticator,
	collectPageErrors,
	type Page,
	sharedChromium,
} from "../../helpers/chromium";
import {
	hideNewestVersion,
	injectNode,
	interceptApi,
	type MaliciousServer,
	type NodeRow,
	omitNode,
	oneWrongShard,
	replayManifest,
	replayShards,
	reverseShardList,
	rollBackFolder,
	swapChunks,
	swapWrappedKeys,
} from "../../helpers/malicious-server";
import { scratchDir } from "../../helpers/scratch-dir";
import { signUpThroughUi } from "../accounts/helpers";

const baseUrl = inject("baseUrl");
const chromiumBrowser = sharedChromium();
const scratch = scratchDir("coffre-attacks-");

const names = (page: Page) => page.locator("tbody tr td:first-child").allTextContents();
const unverifiable = (page: Page) =>
	page.getByRole("alert").filter({ hasText: "could not be verified" });

async function signedUpPage(who: string): Promise<Page> {
	const page = await (await chromiumBrowser().newContext({ acceptDownloads: true })).newPage();
	await addVirtualAuthenticator(page);
	await signUpThroughUi(page, baseUrl, {
		handle: `${who}-${randomUUID().slice(0, 6)}`,
		displayName: who,
	});
	await page.getByText("This folder is empty.").waitFor();
	return page;
}

async function newFolder(page: Page, name: string) {
	await page.getByRole("button", { name: "New folder" }).click();
	await page.getByLabel("New folder name").fill(name);
	await page.getByRole("button", { name: "Create", exact: true }).click();
	await page.getByText(`Folder “${name}” created.`).waitFor();
}

/** Lists the current folder again (as switching to the trash and back does). */
async function relist(page: Page) {
	await page.getByRole("button", { name: "Trash" }).click();
	await page.getByText("The trash is empty.").waitFor();
	await page.getByRole("button", { name: "Back to files" }).click();
}

/** The rows of the last real listing of folder `parentId` the page received. */
function lastListing(server: MaliciousServer, parentId: string | null): NodeRow[] {
	const call = server
		.seen("vault.list")
		.findLast(({ input }) => input.parentId === parentId && !input.trashed);
	if (!call) throw new Error(`No listing of ${parentId ?? "the top level"} seen yet.`);
	return call.output;
}

/** The last real state of folder `folderId` the page received. */
function lastFolderState(server: MaliciousServer, folderId: string | null) {
	const call = server
		.seen("vault.folderState")
		.findLast(({ input }) => input.folderId === folderId);
	if (!call?.output) throw new Error(`No state of ${folderId ?? "the top level"} seen yet.`);
	return call.output;
}

/** Arms `attack`, lists the folder again, and waits until the page was really lied to. */
async function relistUnder(
	page: Page,
	server: MaliciousServer,
	attack: Parameters<MaliciousServer["arm"]>[0],
) {
	await server.arm(attack);
	await relist(page);
	await expect.poll(() => server.tampered).toBeGreaterThan(0);
}

describe("a malicious server", () => {
	it("cannot swap wrapped keys or inject items into a folder listing", async () => {
		const page = await signedUpPage("mallory-target");
		const errors = collectPageErrors(page);
		const server = await interceptApi(page);
		await newFolder(page, "Medical");
		await newFolder(page, "Holidays");
		await page.getByRole("button", { name: "Holidays", exact: true }).click();
		await newFolder(page, "Beach");
		await page.getByRole("button", { name: "My vault" }).click();
		await expect.poll(() => names(page)).toEqual(["Holidays", "Medical"]);
		const [first, second] = lastListing(server, null) as [NodeRow, NodeRow];
		// The only item below the top level: Beach, inside Holidays.
		const beach = server.seen("vault.list").findLast(({ input }) => input.parentId !== null)
			?.output[0] as NodeRow;
		expect(beach.parentId).not.toBeNull();

		// Another person's vault holds a genuine, correctly sealed item to inject.
		const other = await signedUpPage("mallory-other");
		const otherServer = await interceptApi(other);
		await newFolder(other, "Secret plans");
		await expect.poll(() => names(other)).toEqual(["Secret plans"]);
		const foreign = lastListing(otherServer, null)[0] as NodeRow;
		await other.context().close();

		await relistUnder(page, server, swapWrappedKeys(first.id, second.id));
		await page.getByText("2 item(s) could not be verified").waitFor();
		expect(await names(page)).toEqual([]);

		const injections = [
			injectNode(beach, { into: null, reparent: false }),
			injectNode(beach, { into: null, reparent: true }),
			injectNode(foreign, { into: null, reparent: true }),
		];
		for (const attack of injections) {
			await relistUnder(page, server, attack);
			await page.getByText("1 item(s) could not be verified").waitFor();
			expect(await names(page)).toEqual(["Holidays", "Medical"]);
		}

		// The same listing, honestly served, opens in full.
		await server.disarm();
		await relist(page);
		await expect.poll(() => names(page)).toEqual(["Holidays", "Medical"]);
		expect(await unverifiable(page).count()).toBe(0);
		await page.getByRole("button", { name: "Holidays", exact: true }).click();
		await expect.poll(() => names(page)).toEqual(["Beach"]);

		// Leaving an item out, or serving the folder as it was before a change, is caught too.
		await page.getByRole("button", { name: "My vault" }).click();
		await expect.poll(() => names(page)).toEqual(["Holidays", "Medical"]);
		const earlier = { state: lastFolderState(server, null), rows: lastListing(server, null) };
		const medical = first.id;
		await relistUnder(page, server, omitNode(medical));
		await page.getByText("1 item(s) of this folder are missing").waitFor();
		expect(await names(page)).toEqual(["Holidays"]);

		await server.disarm();
		await relist(page);
		await page.getByRole("button", { name: "More actions for Medical" }).click();
		await page.getByRole("button", { name: "Rename Medical" }).click();
		await page.getByLabel("New name").fill("Health");
		await page.getByRole("button", { name: "Save" }).click();
		await page.getByText("Renamed.").waitFor();
		await expect.poll(() => names(page)).toEqual(["Health", "Holidays"]);
		await relistUnder(page, server, rollBackFolder(null, earlier));
		await page.getByText("showing this folder as it was earlier").waitFor();
		expect(await names(page)).not.toContain("Medical");
		await server.disarm();
		await relist(page);
		await expect.poll(() => names(page)).toEqual(["Health", "Holidays"]);
		await server.close();
		expect(server.failures).toEqual([]);
		expect(errors).toEqual([]);
	});

	it("cannot replay a manifest or swap chunks: downloads are refused, never wrong", async () => {
		const page = await signedUpPage("mallory-files");
		const errors = collectPageErrors(page);
		const delivered: Download[] = [];
		page.on("download", (download) => delivered.push(download));
		const server = await interceptApi(page);
		const transfer = (text: string) => page.getByTestId("transfer").filter({ hasText: text });

		// Two chunks per version (4 MiB each), so chunks can be swapped within one version.
		const size = 4 * 2 ** 20 + 10_000;
		const versions = [randomBytes(size), randomBytes(size)] as const;
		writeFileSync(scratch.path("report.bin"), versions[0]);
		writeFileSync(scratch.path("v2.bin"), versions[1]);
		await page.getByLabel("Files to upload").setInputFiles(scratch.path("report.bin"));
		await transfer("Uploaded").waitFor({ timeout: 240_000 });
		// The vault's refresh after this upload is held back, so the page still lists version 1
		// when Download is clicked — as after a version committed in another window. Not an
		// attack: the folder's current state names version 2, and that is what is downloaded.
		let releaseListings = () => {};
		const listingsHeld = new Promise<void>((resolve) => {
			releaseListings = resolve;
		});
		const holdListings = async (route: Route) => {
			if (route.request().url().includes("vault.list")) await listingsHeld;
			await route.fallback();
		};
		await page.route("**/api/trpc/**", holdListings);
		await page.getByRole("button", { name: "More actions for report.bin" }).click();
		await page.getByRole("button", { name: "New version of report.bin" }).click();
		await page.getByLabel("Files to upload").setInputFiles(scratch.path("v2.bin"));
		await transfer("v2.bin").filter({ hasText: "Uploaded" }).waitFor({ timeout: 240_000 });

		const download = page.getByRole("button", { name: "Download report.bin", exact: true });
		/** Clicks and returns the bytes the browser saved. */
		async function downloaded(click: () => Promise<void>): Promise<Buffer> {
			const [file] = await Promise.all([
				page.waitForEvent("download", { timeout: 120_000 }),
				click(),
			]);
			return readFileSync((await file.path()) as string);
		}
		expect((await downloaded(() => download.click())).equals(versions[1])).toBe(true);
		releaseListings();
		await page.unroute("**/api/trpc/**", holdListings);
		const listed = server.seen("files.versions").at(-1)?.output ?? [];
		expect(listed.map(({ seq }) => seq)).toEqual([2, 1]);
		const [v2, v1] = listed.map(({ id }) => id) as [string, string];

		const unreadable = "The storage network returned data that does not belong to this file";
		const refusals = [
			{
				attack: replayManifest({ from: v1, onto: v2 }),
				message: "This file's manifest does not verify",
			},
			{ attack: swapChunks(v2, 0, 1), message: unreadable },
			{ attack: replayShards({ from: v1, onto: v2 }), message: unreadable },
			// The last chunk only: the browser is already saving the first one when this fails.
			{
				attack: replayShards({ from: v1, onto: v2, chunkIndex: 1 }),
				message: unreadable,
				midStream: true,
			},
		];
		for (const { attack, message, midStream } of refusals) {
			await server.arm(attack);
			const started = delivered.length;
			await download.click();
			await transfer(`Failed: ${message}`).waitFor({ timeout: 120_000 });
			expect(server.tampered).toBeGreaterThan(0);
			if (midStream) await expect.poll(() => delivered.length).toBeGreaterThan(started);
			// A download the attack let start ends failed: no truncated or wrong file is kept.
			for (const file of delivered.slice(started)) expect(await file.failure()).not.toBeNull();
		}

		// A hidden newest version: the listing, or the version list, shows the older one.
		const fileId = (lastListing(server, null).find((row) => row.kind === "file") as NodeRow).id;
		await server.arm(hideNewestVersion(fileId));
		const started = delivered.length;
		await download.click();
		await page.getByText("did not offer this file's newest version").waitFor();
		expect(server.tampered).toBeGreaterThan(0);
		await server.arm({
			rewrite: {
				"vault.list": (rows) =>
					rows.map((row) => (row.id === fileId ? { ...row, headVersionId: v1 } : row)),
			},
		});
		await page.getByRole("button", { name: "Trash" }).click();
		await page.getByText("The trash is empty.").waitFor();
		await page.getByRole("button", { name: "Back to files" }).click();
		await page.getByText("1 item(s) could not be verified").waitFor();
		expect(await names(page)).toEqual([]);
		expect(server.tampered).toBeGreaterThan(0);
		expect(delivered.length).toBe(started);
		await server.disarm();
		await relist(page);
		await expect.poll(() => names(page)).toEqual(["report.bin"]);

		// A reordered shard list is a lie the client checks its way around.
		await server.arm(reverseShardList());
		expect((await downloaded(() => download.click())).equals(versions[1])).toBe(true);
		expect(server.tampered).toBeGreaterThan(0);

		// One lying source among honest ones: its shard fails its root check in the download's
		// worker, a parity shard is fetched in its place and the chunk is rebuilt from it.
		await server.arm(oneWrongShard({ versionId: v2, chunkIndex: 0, shardIndex: 0 }));
		expect((await downloaded(() => download.click())).equals(versions[1])).toBe(true);
		expect(server.tampered).toBeGreaterThan(0);

		await server.disarm();
		expect((await downloaded(() => download.click())).equals(versions[1])).toBe(true);
		await page.getByRole("button", { name: "More actions for report.bin" }).click();
		await page.getByRole("button", { name: "Versions of report.bin" }).click();
		expect(
			(
				await downloaded(() => page.getByRole("button", { name: "Download version 1" }).click())
			).equals(versions[0]),
		).toBe(true);

		// Every download the browser completed is one of the honest ones above, with the right
		// bytes; any download an attack started ended failed, leaving no file.
		const saved: Buffer[] = [];
		for (const file of delivered) {
			if ((await file.failure()) === null) saved.push(readFileSync((await file.path()) as string));
		}
		expect(saved.map((bytes) => versions.findIndex((version) => version.equals(bytes)))).toEqual([
			1, 1, 1, 1, 0,
		]);
		await server.close();
		expect(server.failures).toEqual([]);
		expect(errors).toEqual([]);
	}, 600_000);
});
