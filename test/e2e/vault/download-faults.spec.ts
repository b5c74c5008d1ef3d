// Downloads through a network that fails, in real Chromium against the running system: a
// chunk's one request for its k shards that is dropped (a lost connection, a gateway
// restarting) costs its shards one more try each on the single-shard route, before any parity
// shard, and the file still arrives whole; a chunk request the server refuses as a whole (here
// a real 401 for a request without its session cookie, as after the session ended) ends the
// download with the server's reason at once, without asking shard by shard.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { sharedChromium } from "../../helpers/chromium";
import { scratchDir } from "../../helpers/scratch-dir";
import { expectDownloadOf, signedUpPage } from "./helpers";

const baseUrl = inject("baseUrl");
const chromiumBrowser = sharedChromium();
const scratch = scratchDir("coffre-download-faults-");

/** A new person's vault page holding `name`: 5 MiB of random bytes, two chunks. */
async function pageWithTwoChunkFile(prefix: string, name: string) {
	const { page, errors } = await signedUpPage(chromiumBrowser(), baseUrl, prefix, prefix);
	const bytes = randomBytes(5 * 2 ** 20);
	const path = scratch.path(name);
	writeFileSync(path, bytes);
	await page.getByLabel("Files to upload").setInputFiles(path);
	await page
		.getByTestId("transfer")
		.filter({ hasText: name })
		.filter({ hasText: "Uploaded" })
		.waitFor({ timeout: 120_000 });
	return { page, errors, bytes };
}

describe("download faults", () => {
	it("asks again shard by shard for the shards of a chunk request that was dropped", async () => {
		const { page, errors, bytes } = await pageWithTwoChunkFile("dlf", "dropped.bin");

		// Every chunk request is dropped; the single-shard requests go through.
		const asked: string[] = [];
		await page.route(
			(url) => url.pathname.startsWith("/api/chunks/"),
			async (route) => {
				const url = new URL(route.request().url());
				if (route.request().method() !== "GET") return route.fallback();
				const listed = url.searchParams.get("shards");
				asked.push(listed === null ? (url.pathname.split("/").at(-1) ?? "") : `[${listed}]`);
				return listed === null ? route.fallback() : route.abort("connectionreset");
			},
		);
		await expectDownloadOf(page, "dropped.bin", bytes);
		// Per chunk: the dropped request for data shards 0–3, then each of them alone — no parity.
		expect(asked).toHaveLength(10);
		expect(asked.filter((entry) => entry === "[0,1,2,3]")).toHaveLength(2);
		expect(asked.filter((entry) => !entry.startsWith("[")).sort()).toEqual([
			"0",
			"0",
			"1",
			"1",
			"2",
			"2",
			"3",
			"3",
		]);
		// The browser reports each dropped request on the console; nothing else went wrong.
		expect(errors).toHaveLength(2);
		for (const error of errors) expect(error).toMatch(/ERR_CONNECTION_RESET/);
	});

	it("ends at once with the server's reason when a chunk request is refused as a whole", async () => {
		const { page, errors } = await pageWithTwoChunkFile("dlr", "refused.bin");
		// Chunk and shard requests go to the real server without the session cookie (sent from
		// here, outside the browser), and the page gets the server's answer: 401, as once a
		// session has ended.
		const asked: string[] = [];
		await page.route(
			(url) => url.pathname.startsWith("/api/chunks/"),
			async (route) => {
				const request = route.request();
				if (request.method() !== "GET") return route.fallback();
				const url = new URL(request.url());
				asked.push(url.searchParams.has("shards") ? "chunk" : "shard");
				const answer = await fetch(new URL(url.pathname + url.search, baseUrl));
				return route.fulfill({
					status: answer.status,
					headers: Object.fromEntries(answer.headers),
					body: Buffer.from(await answer.arrayBuffer()),
				});
			},
		);
		await page.getByRole("button", { name: "Download refused.bin", exact: true }).click();
		await page
			.getByTestId("transfer")
			.filter({ hasText: "refused.bin" })
			.filter({ hasText: "Please sign in to continue." })
			.waitFor({ timeout: 60_000 });
		// No shard was asked for alone: no answer to one would have been different.
		expect(asked.length).toBeGreaterThan(0);
		expect(asked.filter((kind) => kind === "shard")).toEqual([]);
		for (const error of errors) expect(error).toMatch(/status of 401/);
	});
});
