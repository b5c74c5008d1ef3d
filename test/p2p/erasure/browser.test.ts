// p2p/erasure runs in a browser as it is: bundled for the browser platform (which fails on any
// node:* import), loaded into Debian's Chromium, it picks the WASM SIMD kernel and gives
// klauspost's parity and reconstruction, on the page and in a Web Worker.
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchChromium, type Page } from "../../helpers/chromium";
import { type KlauspostCase, klauspostCases } from "./shard-fixtures";

const vector = klauspostCases().find(({ k, m }) => k === 10 && m === 4) as KlauspostCase;

/** Runs inside the browser: encode the vector, lose the first m shards, rebuild them. */
const probe = `
const fromHex = (hex) => Uint8Array.from(hex.match(/../g), (byte) => parseInt(byte, 16));
const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
function runProbe(vector) {
	const coder = Erasure.createErasureCoder({ dataShards: vector.k, parityShards: vector.m });
	const parity = coder.encode(vector.data.map(fromHex)).map(toHex);
	const shards = [...vector.data, ...vector.parity].map((hex, i) => (i < vector.m ? null : fromHex(hex)));
	const rebuilt = coder.reconstruct(shards).slice(0, vector.m).map(toHex);
	return { kernel: coder.kernel, parity, rebuilt };
}`;

let browser: Browser;
let page: Page;
let bundle: string;

beforeAll(async () => {
	const result = await build({
		entryPoints: [new URL("../../../p2p/erasure/index.ts", import.meta.url).pathname],
		bundle: true,
		write: false,
		format: "iife",
		globalName: "Erasure",
		platform: "browser",
		target: "es2022",
	});
	bundle = `${result.outputFiles[0]?.text}\n${probe}`;
	browser = await launchChromium();
	page = await browser.newPage();
	await page.setContent("<!doctype html><title>erasure</title>");
});

afterAll(async () => {
	await browser?.close();
});

describe("erasure coding in Chromium", () => {
	const expected = {
		kernel: "simd",
		parity: vector.parity,
		rebuilt: vector.data.slice(0, vector.m),
	};

	it("encodes and rebuilds klauspost's vector on the page with the SIMD kernel", async () => {
		await page.addScriptTag({ content: bundle });
		const outcome = await page.evaluate((v) => {
			const run = (globalThis as unknown as { runProbe: (v: KlauspostCase) => unknown }).runProbe;
			return run(v);
		}, vector);
		expect(outcome).toEqual(expected);
	});

	it("does the same inside a Web Worker", async () => {
		const outcome = await page.evaluate(
			({ source, v }) =>
				new Promise((resolve, reject) => {
					const url = URL.createObjectURL(
						new Blob([`${source}\nself.onmessage = (e) => self.postMessage(runProbe(e.data));`], {
							type: "text/javascript",
						}),
					);
					const worker = new Worker(url);
					worker.onmessage = (event) => resolve(event.data);
					worker.onerror = (event) => reject(new Error(event.message));
					worker.postMessage(v);
				}),
			{ source: bundle, v: vector },
		);
		expect(outcome).toEqual(expected);
	});
});
