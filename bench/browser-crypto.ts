// What the vault benchmark's browser pays for the vault's own cryptography: AES-256-GCM sealing
// and opening of one 4 MiB chunk and SHA-256 over 4 MiB, through the page's WebCrypto, against
// node:crypto doing the same in the bench process on the same machine. Context for the vault
// figures (no goal): every uploaded byte is sealed and every shard byte hashed in the browser,
// every downloaded byte opened, so these speeds bound what the browser side can reach.
import {
	createCipheriv,
	createDecipheriv,
	createHash,
	randomBytes as nodeRandomBytes,
} from "node:crypto";
import type { Page } from "playwright-core";
import { throughputMBps } from "./harness";

const CHUNK_BYTES = 4 * 2 ** 20;
const RUNS = 9;

/** MB/s of each operation on a 4 MiB buffer. */
export interface CryptoSpeeds {
	seal: number;
	open: number;
	sha256: number;
}

/**
 * The in-page measurement, as source text: functions handed to `page.evaluate` directly get
 * the TypeScript loader's helpers (`__name`) compiled in, which the page does not have.
 */
const IN_PAGE_SOURCE = `async (bytes, runs) => {
	const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
	const data = new Uint8Array(bytes);
	for (let at = 0; at < bytes; at += 65536) crypto.getRandomValues(data.subarray(at, at + 65536));
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, data));
	const speed = async (run) => {
		await run();
		const times = [];
		for (let i = 0; i < runs; i++) {
			const started = performance.now();
			await run();
			times.push(performance.now() - started);
		}
		times.sort((a, b) => a - b);
		return bytes / 1e6 / (times[Math.floor(runs / 2)] / 1e3);
	};
	return {
		seal: await speed(() => crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, data)),
		open: await speed(() => crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, sealed)),
		sha256: await speed(() => crypto.subtle.digest("SHA-256", data)),
	};
}`;

/** Measures WebCrypto in `page` (a secure context): median of RUNS, after one warm-up. */
export async function browserCryptoSpeeds(page: Page): Promise<CryptoSpeeds> {
	return (await page.evaluate(`(${IN_PAGE_SOURCE})(${CHUNK_BYTES}, ${RUNS})`)) as CryptoSpeeds;
}

/**
 * The same operations with node:crypto in this process. Each call allocates its output as the
 * page's do; more warm-up than the page, as the first calls here also pay for the allocator
 * mapping fresh memory (seal measured 190 MB/s for a first 9 calls, 6 GB/s after).
 */
export async function nodeCryptoSpeeds(): Promise<CryptoSpeeds> {
	const key = nodeRandomBytes(32);
	const iv = nodeRandomBytes(12);
	const data = nodeRandomBytes(CHUNK_BYTES);
	const seal = () => {
		const cipher = createCipheriv("aes-256-gcm", key, iv);
		const body = cipher.update(data);
		cipher.final();
		return { body, tag: cipher.getAuthTag() };
	};
	const { body: sealed, tag } = seal();
	const open = () => {
		const decipher = createDecipheriv("aes-256-gcm", key, iv).setAuthTag(tag);
		const plaintext = decipher.update(sealed);
		decipher.final();
		return plaintext;
	};
	const timing = { minMs: 500, minRuns: RUNS, warmup: 10 };
	return {
		seal: await throughputMBps(seal, CHUNK_BYTES, timing),
		open: await throughputMBps(open, CHUNK_BYTES, timing),
		sha256: await throughputMBps(
			() => createHash("sha256").update(data).digest(),
			CHUNK_BYTES,
			timing,
		),
	};
}
