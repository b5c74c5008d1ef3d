// The benchmarks' Chromium (launchChromium with keepNetworkBodies: false, through
// scripts/chromium-relay.mjs): the page works and receives every byte as with the plain launch,
// but the driver's DevTools keeps no response body — with the plain launch it does, so this
// tells the two apart —, the browser closes when asked, leaving no process behind, and the
// relay started by hand says how to start it.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_PATH, launchChromium } from "../../helpers/chromium";

const body = randomBytes(300_000);
let server: Server;
let url: string;

beforeAll(async () => {
	server = createServer((request, response) => {
		if (request.url === "/") {
			response.setHeader("content-type", "text/html");
			response.end("<!doctype html><title>relay</title><p>relay</p>");
			return;
		}
		response.setHeader("content-type", "application/octet-stream");
		response.end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

/** Fetches /data in a fresh page: the SHA-256 the page saw, and what DevTools kept of it. */
async function fetchThroughPage(keepNetworkBodies: boolean) {
	const browser = await launchChromium({ keepNetworkBodies });
	try {
		const page = await browser.newPage();
		await page.goto(url);
		const [response, digest] = await Promise.all([
			page.waitForResponse((candidate) => candidate.url().endsWith("/data")),
			page.evaluate(async () => {
				const bytes = await (await fetch("/data")).arrayBuffer();
				const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
				return Array.from(hash, (byte) => byte.toString(16).padStart(2, "0")).join("");
			}),
		]);
		const kept = await response.body().then(
			(bytes) => bytes.length,
			() => null,
		);
		return { digest, kept };
	} finally {
		const closing = performance.now();
		await browser.close();
		closedInMs = performance.now() - closing;
	}
}

/** How long the last `browser.close()` took (Playwright kills a browser that hangs after 30 s). */
let closedInMs = 0;

/** Live processes started with the relay's environment (Chromium's inherit it). */
async function relayProcesses(): Promise<number[]> {
	const found: number[] = [];
	for (const name of await readdir("/proc")) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = await readFile(`/proc/${name}/stat`, "utf8");
			if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
			if ((await readFile(`/proc/${name}/environ`, "utf8")).includes("COFFRE_RELAY_CHROMIUM="))
				found.push(Number(name));
		} catch {
			// exited meanwhile, or not ours to read
		}
	}
	return found;
}

describe("Chromium for benchmarks", () => {
	const sha256 = createHash("sha256").update(body).digest("hex");

	it("receives the same bytes, while DevTools keeps no response body", async () => {
		const plain = await fetchThroughPage(true);
		expect(plain).toEqual({ digest: sha256, kept: body.length });
		const relayed = await fetchThroughPage(false);
		expect(relayed).toEqual({ digest: sha256, kept: null });
	});

	it("closes when asked, and leaves no process behind", async () => {
		await fetchThroughPage(false);
		// A hang bound, not a speed goal: a relay that outlived Chromium made this 30 s.
		expect(closedInMs).toBeLessThan(10_000);
		await expect.poll(relayProcesses, { timeout: 10_000 }).toEqual([]);
	});

	it("started by hand, without a driver's pipes, says how to start it and starts nothing", async () => {
		const relay = join(import.meta.dirname, "../../../scripts/chromium-relay.mjs");
		const run = spawnSync(process.execPath, [relay, "--headless"], {
			env: { ...process.env, COFFRE_RELAY_CHROMIUM: CHROMIUM_PATH },
			stdio: ["ignore", "pipe", "pipe"],
			encoding: "utf8",
			timeout: 10_000,
		});
		expect(run.status).toBe(2);
		expect(run.stderr).toMatch(/over a pipe \(fds 3 and 4\)/);
		expect(await relayProcesses()).toEqual([]);
	});
});
