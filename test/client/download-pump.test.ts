// The page's end of a streamed download: the download worker and the browser's download behind
// it are played by the other end of a real MessageChannel that stops asking once it holds the
// announced size (a browser with a Content-Length may) and must still see the end; a stream
// that fails, or gives more or fewer bytes than announced, must fail the download.
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { type PumpMessage, type PumpRequest, pumpDownload } from "../../client/vault/download-pump";

const ports: MessagePort[] = [];
afterEach(() => {
	for (const port of ports.splice(0)) port.close();
});

function streamOf(pieces: Uint8Array[], failAfter?: Error) {
	let next = 0;
	return new ReadableStream<Uint8Array<ArrayBuffer>>(
		{
			pull(controller) {
				const piece = pieces[next++];
				if (piece) controller.enqueue(new Uint8Array(piece) as Uint8Array<ArrayBuffer>);
				else if (failAfter) controller.error(failAfter);
				else controller.close();
			},
		},
		{ highWaterMark: 0 },
	);
}

/**
 * The worker's and the browser's side: says "ready", pulls one chunk at a time while it holds
 * fewer than `size` bytes (never after, as a download with a Content-Length does), and reports
 * what it got and how the page ended the download.
 */
function browserDownload(port: MessagePort, size: number) {
	let received = 0;
	const chunks: number[] = [];
	const ended = new Promise<"end" | "error">((resolve) => {
		port.on("message", (message: PumpMessage) => {
			if (message.kind === "chunk") {
				received += message.bytes.length;
				chunks.push(message.bytes.length);
				if (received < size) port.postMessage({ kind: "pull" } satisfies PumpRequest);
			} else resolve(message.kind);
		});
	});
	return {
		start: () => port.postMessage({ kind: "ready" } satisfies PumpRequest),
		pull: () => port.postMessage({ kind: "pull" } satisfies PumpRequest),
		cancel: () => port.postMessage({ kind: "cancel" } satisfies PumpRequest),
		ended,
		received: () => received,
		chunks,
	};
}

function setUp(size: number) {
	const { port1, port2 } = new MessageChannel();
	ports.push(port1, port2);
	const browser = browserDownload(port2, size);
	let opened = 0;
	return {
		// Node's port speaks the same postMessage/onmessage as the browser's.
		page: port1 as unknown as Parameters<typeof pumpDownload>[2],
		browser,
		onReady: () => {
			opened++;
			browser.pull();
		},
		opened: () => opened,
	};
}

const cancelled = () => new Error("cancelled");

describe("pumpDownload", () => {
	it("sends the end once the announced bytes are out, without waiting for another pull", async () => {
		const pieces = [new Uint8Array(5).fill(1), new Uint8Array(5).fill(2), new Uint8Array(3)];
		const { page, browser, onReady, opened } = setUp(13);
		const pumped = pumpDownload(streamOf(pieces), 13, page, onReady, cancelled);
		browser.start();
		await pumped;
		expect(await browser.ended).toBe("end");
		expect(browser.chunks).toEqual([5, 5, 3]);
		expect(opened()).toBe(1);
	});

	it("ends an empty file on the first pull", async () => {
		const { page, browser, onReady } = setUp(0);
		const pumped = pumpDownload(streamOf([]), 0, page, onReady, cancelled);
		browser.start();
		await pumped;
		expect(await browser.ended).toBe("end");
		expect(browser.received()).toBe(0);
	});

	it.each([
		{ when: "after some bytes", size: 20, why: "chunk 2 did not verify" },
		{ when: "after the announced size", size: 10, why: "the last chunk is not marked final" },
	])("fails the download when the stream fails $when", async ({ size, why }) => {
		const broken = new Error(why);
		const { page, browser, onReady } = setUp(size);
		const stream = streamOf([new Uint8Array(10)], broken);
		const pumped = pumpDownload(stream, size, page, onReady, cancelled);
		browser.start();
		await expect(pumped).rejects.toBe(broken);
		expect(await browser.ended).toBe("error");
	});

	it.each([
		{ what: "longer", pieces: [10, 1], message: "longer than its announced size" },
		{ what: "shorter", pieces: [4], message: "ended before its announced size" },
	])("refuses a stream $what than announced", async ({ pieces, message }) => {
		const { page, browser, onReady } = setUp(10);
		const stream = streamOf(pieces.map((size) => new Uint8Array(size)));
		const pumped = pumpDownload(stream, 10, page, onReady, cancelled);
		browser.start();
		await expect(pumped).rejects.toThrow(message);
		expect(await browser.ended).toBe("error");
	});

	it("stops when the browser cancels the download", async () => {
		const { page, browser } = setUp(10);
		const pumped = pumpDownload(streamOf([new Uint8Array(10)]), 10, page, () => {}, cancelled);
		browser.start();
		browser.cancel();
		await expect(pumped).rejects.toThrow("cancelled");
	});
});
