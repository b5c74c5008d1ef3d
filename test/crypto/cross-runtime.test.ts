// The crypto core runs unchanged in Chromium and Node: `crypto/index.ts` is bundled for the
// browser with esbuild, served from a local HTTP server (http://localhost is a secure context,
// so `crypto.subtle` exists), and what one runtime seals the other opens — sealed boxes,
// sealed streams through web streams, and self-signed identities.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as coffre from "../../crypto/index";
import { type Browser, launchChromium, type Page } from "../helpers/chromium";

type Coffre = typeof coffre;
declare global {
	interface Window {
		Coffre: Coffre;
	}
}

const root = join(import.meta.dirname, "../..");
let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
	const bundle = await build({
		entryPoints: [join(root, "crypto/index.ts")],
		bundle: true,
		write: false,
		format: "iife",
		globalName: "Coffre",
		platform: "browser",
		target: "es2022",
	});
	const script = bundle.outputFiles[0]?.text ?? "";
	server = createServer((request, response) => {
		if (request.url === "/coffre-crypto.js") {
			response.writeHead(200, { "content-type": "text/javascript" }).end(script);
		} else {
			response
				.writeHead(200, { "content-type": "text/html" })
				.end('<!doctype html><meta charset="utf-8"><script src="/coffre-crypto.js"></script>');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	browser = await launchChromium();
	const context = await browser.newContext();
	page = await context.newPage();
	await page.goto(`http://localhost:${port}/`);
	expect(await page.evaluate(() => window.isSecureContext && typeof window.Coffre.sealBox)).toBe(
		"function",
	);
});

afterAll(async () => {
	await browser?.close();
	await new Promise((resolve) => server?.close(resolve));
});

const { fromBase64url, toBase64url } = coffre;
const nodeKeyBytes = toBase64url(coffre.randomBytes(32));
const ids = { fileId: "file-x", versionId: "ver-x" };
const plaintext = coffre.randomBytes(3 * 1024 + 77);

async function openStreamInNode(sealed: Uint8Array, nodeKey: string): Promise<Uint8Array> {
	const contentKey = coffre.deriveContentKey(
		coffre.importSecretKey("NodeKey", fromBase64url(nodeKey)),
		ids.versionId,
	);
	const parts: Uint8Array[] = [];
	await new Blob([sealed as Uint8Array<ArrayBuffer>])
		.stream()
		.pipeThrough(coffre.createOpenStream(contentKey, ids))
		.pipeTo(new WritableStream({ write: (chunk) => void parts.push(chunk) }));
	return coffre.concatBytes(...parts);
}

describe("cross-runtime (Chromium ⇄ Node)", () => {
	it("a sealed box made in Chromium opens in Node, and the reverse", async () => {
		const boxFromPage = await page.evaluate(
			({ key, text }) => {
				const C = window.Coffre;
				const box = C.sealBox({
					key: C.importSecretKey("NodeKey", C.fromBase64url(key)),
					purpose: "node-name",
					boundTo: { node: "n1", parent: "p1" },
					plaintext: C.utf8(text),
				});
				return C.toBase64url(box);
			},
			{ key: nodeKeyBytes, text: "quarterly report.pdf" },
		);
		const key = coffre.importSecretKey("NodeKey", fromBase64url(nodeKeyBytes));
		const opened = coffre.openBox({
			key,
			purpose: "node-name",
			boundTo: { node: "n1", parent: "p1" },
			box: fromBase64url(boxFromPage),
		});
		expect(coffre.fromUtf8(opened)).toBe("quarterly report.pdf");

		const boxFromNode = toBase64url(
			coffre.sealBox({
				key,
				purpose: "node-name",
				boundTo: { node: "n1", parent: "p1" },
				plaintext: coffre.utf8("été"),
			}),
		);
		const inPage = await page.evaluate(
			({ key, box }) => {
				const C = window.Coffre;
				const k = C.importSecretKey("NodeKey", C.fromBase64url(key));
				const text = C.fromUtf8(
					C.openBox({
						key: k,
						purpose: "node-name",
						boundTo: { node: "n1", parent: "p1" },
						box: C.fromBase64url(box),
					}),
				);
				let wrongPurpose = "";
				try {
					C.openBox({
						key: k,
						purpose: "node-key",
						boundTo: { node: "n1", parent: "p1" },
						box: C.fromBase64url(box),
					});
				} catch (error) {
					wrongPurpose = (error as Error).name;
				}
				return { text, wrongPurpose };
			},
			{ key: nodeKeyBytes, box: boxFromNode },
		);
		expect(inPage).toEqual({ text: "été", wrongPurpose: "IntegrityError" });
	});

	it("a sealed stream made in Chromium with web streams opens in Node", async () => {
		const sealedB64 = await page.evaluate(
			async ({ key, data, ids }) => {
				const C = window.Coffre;
				const bytes = C.fromBase64url(data);
				const contentKey = C.deriveContentKey(
					C.importSecretKey("NodeKey", C.fromBase64url(key)),
					ids.versionId,
				);
				const sealer = await C.createStreamSealer(contentKey, {
					...ids,
					totalSize: bytes.length,
					chunkSize: 1024,
				});
				const parts: Uint8Array[] = [];
				await new Blob([bytes])
					.stream()
					.pipeThrough(C.createSealStream(sealer))
					.pipeTo(new WritableStream({ write: (chunk) => void parts.push(chunk) }));
				return C.toBase64url(C.concatBytes(...parts));
			},
			{ key: nodeKeyBytes, data: toBase64url(plaintext), ids },
		);
		expect(await openStreamInNode(fromBase64url(sealedB64), nodeKeyBytes)).toEqual(plaintext);
	});

	it("a sealed stream made in Node opens in Chromium, and a tampered one is refused there", async () => {
		const contentKey = coffre.deriveContentKey(
			coffre.importSecretKey("NodeKey", fromBase64url(nodeKeyBytes)),
			ids.versionId,
		);
		const sealer = await coffre.createStreamSealer(contentKey, {
			...ids,
			totalSize: plaintext.length,
			chunkSize: 1024,
		});
		const parts: Uint8Array[] = [];
		await new Blob([plaintext])
			.stream()
			.pipeThrough(coffre.createSealStream(sealer))
			.pipeTo(new WritableStream({ write: (chunk) => void parts.push(chunk) }));
		const sealed = coffre.concatBytes(...parts);
		const tampered = Uint8Array.from(sealed);
		tampered[sealed.length - 5] = (tampered[sealed.length - 5] as number) ^ 1;
		const result = await page.evaluate(
			async ({ key, sealed, tampered, ids }) => {
				const C = window.Coffre;
				const contentKey = C.deriveContentKey(
					C.importSecretKey("NodeKey", C.fromBase64url(key)),
					ids.versionId,
				);
				const open = async (b64: string) => {
					const out: Uint8Array[] = [];
					await new Blob([C.fromBase64url(b64)])
						.stream()
						.pipeThrough(C.createOpenStream(contentKey, ids))
						.pipeTo(new WritableStream({ write: (chunk) => void out.push(chunk) }));
					return C.toBase64url(C.concatBytes(...out));
				};
				let tamperedError = "";
				try {
					await open(tampered);
				} catch (error) {
					tamperedError = (error as Error).name;
				}
				return { opened: await open(sealed), tamperedError };
			},
			{ key: nodeKeyBytes, sealed: toBase64url(sealed), tampered: toBase64url(tampered), ids },
		);
		expect(fromBase64url(result.opened)).toEqual(plaintext);
		expect(result.tamperedError).toBe("IntegrityError");
	});

	it("a public identity signed in Chromium verifies in Node with the same safety number", async () => {
		const fromPage = await page.evaluate(() => {
			const C = window.Coffre;
			const keys = C.generateIdentityKeys();
			return C.toBase64url(
				C.signPublicIdentity(keys, { userId: "browser-user", createdAt: 1_700_000_000_000 }),
			);
		});
		const identity = coffre.verifyPublicIdentity(fromBase64url(fromPage));
		expect(identity.userId).toBe("browser-user");
		const mineSigned = coffre.signPublicIdentity(coffre.generateIdentityKeys(), {
			userId: "node-user",
			createdAt: 0,
		});
		const mine = coffre.verifyPublicIdentity(mineSigned);
		const pageNumber = await page.evaluate(
			({ a, b }) => {
				const C = window.Coffre;
				return C.safetyNumber(
					C.verifyPublicIdentity(C.fromBase64url(a)),
					C.verifyPublicIdentity(C.fromBase64url(b)),
				);
			},
			{ a: toBase64url(mineSigned), b: fromPage },
		);
		expect(pageNumber).toEqual(coffre.safetyNumber(identity, mine));
	});
});
