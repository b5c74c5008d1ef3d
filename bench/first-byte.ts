// Observes, inside a page a benchmark drives, when a download's first decrypted bytes reach the
// browser's download. The app streams every download to its download worker over a MessagePort
// (client/vault/save-download.ts posts `{ kind: "chunk", bytes }` each time the worker pulls),
// so timing the first such message in the page is timing the first plaintext byte delivered —
// without any hook in product code. The watch also notes the last click. Times are the page's
// own `performance.now()`: ms since its document's navigation started. It only records; it
// never changes, delays or reads the contents of a message.
import type { BrowserContext, Page } from "playwright-core";

/** What the watch has seen since it was installed or last reset (page ms). */
export interface FirstByteMarks {
	lastClickAt?: number;
	firstChunkAt?: number;
}

/**
 * The watch as page source. A string, not a function, because the bench runs under tsx whose
 * `keepNames` would add helper calls to a serialized function that the page does not have.
 */
const WATCH_SCRIPT = `(() => {
	if (globalThis.__coffreFirstByte) return;
	const marks = {};
	globalThis.__coffreFirstByte = marks;
	addEventListener("click", () => { marks.lastClickAt = performance.now(); }, { capture: true });
	const post = MessagePort.prototype.postMessage;
	MessagePort.prototype.postMessage = function (message, ...rest) {
		if (marks.firstChunkAt === undefined && message && message.kind === "chunk")
			marks.firstChunkAt = performance.now();
		return post.apply(this, [message, ...rest]);
	};
})();`;

/** Watches every page of `context` from its first script on (for pages not opened yet). */
export async function watchFirstByteIn(context: BrowserContext): Promise<void> {
	await context.addInitScript({ content: WATCH_SCRIPT });
}

/** Watches a page that is already open (its state, e.g. an unlocked vault, is kept). */
export async function watchFirstByteOn(page: Page): Promise<void> {
	await page.evaluate(WATCH_SCRIPT);
}

/** Forgets what was seen, before the next measured download. */
export async function resetFirstByte(page: Page): Promise<void> {
	await page.evaluate(
		"globalThis.__coffreFirstByte.lastClickAt = undefined; globalThis.__coffreFirstByte.firstChunkAt = undefined;",
	);
}

/** What was seen since the last reset. */
export async function readFirstByte(page: Page): Promise<FirstByteMarks> {
	return (await page.evaluate("({ ...globalThis.__coffreFirstByte })")) as FirstByteMarks;
}
