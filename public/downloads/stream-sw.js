// Coffre's download service worker. Decrypted files are streamed to disk through it instead
// of being collected in memory: a page of this origin announces a download (a random token, the
// file's name and size, and a message port), then opens /downloads/<token> in a hidden frame;
// this worker answers that request with a stream it fills by pulling chunks through the port,
// one at a time. It keeps nothing, logs nothing, and answers no other request.
const PREFIX = "/downloads/";
const TOKEN = /^[A-Za-z0-9_-]{22}$/;
/** Announced downloads not opened yet, by token; each is answered once. */
const announced = new Map();

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
	const data = event.data;
	const port = event.ports[0];
	if (!port || data?.kind !== "coffre-download" || !TOKEN.test(data.token)) return;
	const size = Number.isSafeInteger(data.size) && data.size >= 0 ? data.size : undefined;
	const name = typeof data.name === "string" && data.name.length > 0 ? data.name : "download";
	announced.set(data.token, { port, name, size });
	port.postMessage({ kind: "ready" });
});

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
function contentDisposition(name) {
	const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
	return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The last array promptCollection made: stored, so the engine cannot leave the allocations out. */
let _lastPrompt;

/**
 * The chunks handed over by the page are buffers this worker only passes on. The engine frees
 * them when it next collects this worker's young objects, which it does when those fill up, and
 * this worker allocates next to nothing else: written chunks waited for tens of MiB (the vault
 * bench saw this worker's buffers swing between 8 and 80 MiB over a download). About 2 MiB of
 * small arrays per 4 MiB chunk, each dropped at once, keeps those collections coming: past the
 * first dozen chunks the swing stayed within 8 to 12 MiB, for well under a millisecond per
 * chunk. Nothing of it survives a collection, so the engine has no reason to grow its young
 * space and collect less often. The upload worker does the same after each chunk
 * (client/vault/prompt-collection.ts; this plain script imports nothing).
 */
function promptCollection() {
	for (let i = 0; i < 512; i++) _lastPrompt = new Array(512);
}

function streamFrom(port) {
	let answered;
	return new ReadableStream(
		{
			start(controller) {
				port.onmessage = ({ data }) => {
					if (data?.kind === "chunk" && data.bytes instanceof Uint8Array) {
						controller.enqueue(data.bytes);
						promptCollection();
					} else if (data?.kind === "end") controller.close();
					else controller.error(new Error("The download failed."));
					answered?.();
				};
			},
			pull() {
				return new Promise((resolve) => {
					answered = resolve;
					port.postMessage({ kind: "pull" });
				});
			},
			cancel() {
				port.postMessage({ kind: "cancel" });
				port.close();
			},
		},
		{ highWaterMark: 0 },
	);
}

self.addEventListener("fetch", (event) => {
	const url = new URL(event.request.url);
	if (url.origin !== self.location.origin || !url.pathname.startsWith(PREFIX)) return;
	const token = url.pathname.slice(PREFIX.length);
	const download = announced.get(token);
	if (!download) return;
	announced.delete(token);
	const headers = new Headers({
		"Content-Type": "application/octet-stream",
		"Content-Disposition": contentDisposition(download.name),
		"X-Content-Type-Options": "nosniff",
		"Cache-Control": "no-store",
	});
	if (download.size !== undefined) headers.set("Content-Length", String(download.size));
	event.respondWith(new Response(streamFrom(download.port), { headers }));
});
