// Downloads through a network that fails, in real Chromium against the running system: a
// chunk's one request for its k shards that is dropped (a lost connection, a gateway
// restarting) costs its shards one more try each on the single-shard route, before any parity
// shard, and the file still arrives whole.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { sharedChromium } from "../../helpers/chromium";
import { scratchDir } from "../../helpers/scratch-dir";
import { expectDownloadOf, signedUpPage } from "./helpers";

const baseUrl = inject("baseUrl");
const chromiumBrowser = sharedChromium();
const scratch = scratchDir("coffre-download-faults-");

describe("download faults", () => {
	it("asks again shard by shard for the shards of a chunk request that was dropped", async () => {
		const { page, errors } = await signedUpPage(chromiumBrowser(), baseUrl, "dlf", "Dlf");
		// Two chunks.
		const bytes = randomBytes(5 * 2 ** 20);
		const path = scratch.path("dropped.bin");
		writeFileSync(path, bytes);
		await page.getByLabel("Files to upload").setInputFiles(path);
		await page
			.getByTestId("transfer")
			.filter({ hasText: "dropped.bin" })
			.filter({ hasText: "Uploaded" })
			.waitFor({ timeout: 120_000 });

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
});
