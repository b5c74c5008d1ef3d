// The headless client of the vault benchmark: one Chromium page driving the real web app as a
// person would — sign up with a virtual passkey, pick a file to upload, click Download — and
// reporting how long each transfer took. It fails loudly when the app reports a failed transfer;
// it never reads or changes the app's state other than through the page.
import { randomUUID } from "node:crypto";
import type { BrowserContext, Download, Page } from "playwright-core";
import { addVirtualAuthenticator } from "../scripts/headless-chromium";

/** Longest a benchmark transfer may take before it counts as stuck. */
const TRANSFER_TIMEOUT_MS = 60 * 60_000;

export class BenchTransferError extends Error {
	override name = "BenchTransferError";
}

/**
 * Where a transfer's wall time went, from the page's resource timings: the share of time with
 * at least one shard request (/api/chunks) in flight, with at least one API call (/api/trpc)
 * in flight, and with neither (reading, sealing, coding, writing, waiting for a thread).
 */
export interface TransferProfile {
	shardRequests: number;
	shardMedianMs: number;
	shardP90Ms: number;
	shardBusy: number;
	apiBusy: number;
	idle: number;
}

export interface HeadlessVault {
	page: Page;
	/** Uploads the file at `path` through the file input; resolves with ms until "Uploaded". */
	upload(path: string, name: string): Promise<{ ms: number; profile: TransferProfile }>;
	/** Clicks Download for `name`; resolves with ms until the browser finished saving it. */
	download(
		name: string,
	): Promise<{ ms: number; profile: TransferProfile; download: Download; path: string }>;
}

type Interval = [number, number];

/** Total length covered by the union of `intervals`. */
function covered(intervals: Interval[]): number {
	let total = 0;
	let end = Number.NEGATIVE_INFINITY;
	for (const [from, to] of [...intervals].sort((a, b) => a[0] - b[0])) {
		if (to <= end) continue;
		total += to - Math.max(from, end);
		end = to;
	}
	return total;
}

/** Starts a profiled window on the page; the returned function ends it. */
async function profileWindow(page: Page): Promise<() => Promise<TransferProfile>> {
	const started = await page.evaluate(() => {
		performance.clearResourceTimings();
		return performance.now();
	});
	return async () => {
		const { ended, entries } = await page.evaluate(() => ({
			ended: performance.now(),
			entries: performance
				.getEntriesByType("resource")
				.map(
					(entry) =>
						[
							entry.name,
							entry.startTime,
							(entry as PerformanceResourceTiming).responseEnd,
						] as const,
				),
		}));
		const wall = ended - started;
		const of = (part: string): Interval[] =>
			entries.filter(([name]) => name.includes(part)).map(([, from, to]) => [from, to]);
		const shards = of("/api/chunks/");
		const api = of("/api/trpc/");
		const durations = shards.map(([from, to]) => to - from).sort((a, b) => a - b);
		const at = (q: number) => durations[Math.floor(q * (durations.length - 1))] ?? 0;
		return {
			shardRequests: shards.length,
			shardMedianMs: at(0.5),
			shardP90Ms: at(0.9),
			shardBusy: covered(shards) / wall,
			apiBusy: covered(api) / wall,
			idle: 1 - covered([...shards, ...api]) / wall,
		};
	};
}

/** One line for a report. */
export function describeProfile(profile: TransferProfile): string {
	const pct = (share: number) => `${Math.round(share * 100)}%`;
	// Uploads send their shards from the upload worker, whose requests the page's own
	// timeline does not list: only the page's API calls are seen then.
	if (profile.shardRequests === 0)
		return `shard requests sent by the upload worker (not in the page's timeline); of the page's wall time: API calls in flight ${pct(profile.apiBusy)}, none ${pct(profile.idle)}`;
	return `${profile.shardRequests} shard requests to the gateway (one per chunk unless a shard failed; median ${profile.shardMedianMs.toFixed(0)} ms, p90 ${profile.shardP90Ms.toFixed(0)} ms); of the page's wall time: shard requests in flight ${pct(profile.shardBusy)}, API calls ${pct(profile.apiBusy)}, neither ${pct(profile.idle)}`;
}

/**
 * Opens a page in `context` (one that accepts downloads) with a virtual PRF passkey and signs a
 * new user up through the UI.
 */
export async function openVaultAsNewUser(
	context: BrowserContext,
	baseUrl: string,
): Promise<HeadlessVault> {
	const page = await context.newPage();
	await addVirtualAuthenticator(page);
	await page.goto(`${baseUrl}/signup`);
	await page.getByLabel("Handle").fill(`bench-${randomUUID().slice(0, 8)}`);
	await page.getByLabel("Your name").fill("Bench");
	await page.getByRole("button", { name: "Create passkey and vault" }).click();
	await page.getByLabel("I have saved my recovery kit somewhere safe.").check();
	await page.getByRole("button", { name: "Continue to my vault" }).click();
	await page.waitForURL(`${baseUrl}/vault`);
	await page.getByTestId("lock-state").filter({ hasText: "Vault unlocked in this tab" }).waitFor();
	// Room for every request of a 1 GiB transfer (the default keeps 250 entries).
	await page.evaluate(() => performance.setResourceTimingBufferSize(100_000));
	return {
		page,
		async upload(path, name) {
			const endProfile = await profileWindow(page);
			const started = performance.now();
			await page.getByLabel("Files to upload").setInputFiles(path);
			const status = await transferEnd(page, "Upload: ", name);
			const ms = performance.now() - started;
			if (!status.includes("Uploaded"))
				throw new BenchTransferError(`Upload of ${name} did not finish: ${status}`);
			return { ms, profile: await endProfile() };
		},
		async download(name) {
			const endProfile = await profileWindow(page);
			const started = performance.now();
			const [download] = await Promise.all([
				page.waitForEvent("download", { timeout: TRANSFER_TIMEOUT_MS }),
				page.getByRole("button", { name: `Download ${name}`, exact: true }).click(),
			]);
			const path = await download.path();
			const ms = performance.now() - started;
			const failure = await download.failure();
			if (failure) throw new BenchTransferError(`Download of ${name} failed: ${failure}`);
			return { ms, profile: await endProfile(), download, path };
		},
	};
}

/**
 * Waits (polling the page every 50 ms) until the transfer row of `name` reports an end state,
 * and returns its text.
 */
async function transferEnd(page: Page, direction: string, name: string): Promise<string> {
	const handle = await page.waitForFunction(
		([direction, name]) => {
			const rows = [...document.querySelectorAll('[data-testid="transfer"]')];
			const text = rows
				.map((row) => row.textContent ?? "")
				.find((text) => text.startsWith(direction) && text.includes(name));
			return text && /Uploaded|Downloaded|Failed|Cancelled/.test(text) ? text : false;
		},
		[direction, name] as const,
		{ polling: 50, timeout: TRANSFER_TIMEOUT_MS },
	);
	return (await handle.jsonValue()) as string;
}
