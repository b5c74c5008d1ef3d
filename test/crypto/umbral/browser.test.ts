// crypto/umbral runs in a browser as it is: bundled for the browser platform (which fails on
// any node:* import) and loaded into Debian's Chromium with the default @noble backend, it
// opens the umbral-pre 0.10.0 fixtures and completes a fresh 2-of-3 share-and-open.
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchChromium } from "../../helpers/chromium";
import { type OracleFixtures, oracleFixtures } from "./fixtures";

/** Runs inside the browser against the bundle's global `Umbral`. */
const probe = `
const fromHex = (hex) => Uint8Array.from(hex.match(/../g), (byte) => parseInt(byte, 16));
const text = (bytes) => new TextDecoder().decode(bytes);
function runProbe(f) {
	const U = Umbral;
	const skA = U.SecretKey.fromBytes(fromHex(f.keys.delegating_sk));
	const skB = U.SecretKey.fromBytes(fromHex(f.keys.receiving_sk));
	const pkA = U.PublicKey.fromBytes(fromHex(f.keys.delegating_pk));
	const pkB = U.PublicKey.fromBytes(fromHex(f.keys.receiving_pk));
	const vpk = U.PublicKey.fromBytes(fromHex(f.keys.verifying_pk));
	const capsule = U.Capsule.fromBytes(fromHex(f.encryption.capsule));
	const ciphertext = fromHex(f.encryption.ciphertext);
	const set = f.kfrag_sets[0];
	const cfrags = set.cfrags_from_first_threshold_kfrags.map((c) =>
		U.CapsuleFrag.fromBytes(fromHex(c.bytes)).verify(capsule, vpk, pkA, pkB));
	const fresh = U.encrypt(pkA, new TextEncoder().encode("opened in the browser"));
	const signer = new U.Signer(U.SecretKey.random());
	const kfrags = U.generateKFrags({ delegatingSk: skA, receivingPk: pkB, signer, threshold: 2, shares: 3,
		signDelegatingKey: true, signReceivingKey: true });
	const freshCFrags = kfrags.slice(1).map((k) => U.reencrypt(fresh.capsule, k));
	let refused = "";
	try { U.decryptReencrypted(skB, pkA, fresh.capsule, freshCFrags.slice(0, 1), fresh.ciphertext); }
	catch (error) { refused = error.name; }
	return {
		original: text(U.decryptOriginal(skA, capsule, ciphertext)),
		reencrypted: text(U.decryptReencrypted(skB, pkA, capsule, cfrags, ciphertext)),
		fresh: text(U.decryptReencrypted(skB, pkA, fresh.capsule, freshCFrags, fresh.ciphertext)),
		refused,
	};
}`;

let browser: Browser;
let bundle: string;

beforeAll(async () => {
	const result = await build({
		entryPoints: [new URL("../../../crypto/umbral/index.ts", import.meta.url).pathname],
		bundle: true,
		write: false,
		format: "iife",
		globalName: "Umbral",
		platform: "browser",
		target: "es2022",
	});
	bundle = `${result.outputFiles[0]?.text}\n${probe}`;
	browser = await launchChromium();
});

afterAll(async () => {
	await browser?.close();
});

describe("Umbral in Chromium", () => {
	it("opens the oracle fixtures and a fresh 2-of-3 share, and refuses one fragment", async () => {
		const page = await browser.newPage();
		await page.setContent("<!doctype html><title>umbral</title>");
		await page.addScriptTag({ content: bundle });
		const outcome = await page.evaluate((fixtures) => {
			const run = (globalThis as unknown as { runProbe: (f: OracleFixtures) => unknown }).runProbe;
			return run(fixtures);
		}, oracleFixtures());
		const plaintext = oracleFixtures().encryption.plaintext_utf8;
		expect(outcome).toEqual({
			original: plaintext,
			reencrypted: plaintext,
			fresh: "opened in the browser",
			refused: "ThresholdNotMetError",
		});
	});
});
