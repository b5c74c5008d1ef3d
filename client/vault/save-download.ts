// Hands a decrypted file to the browser as a download. Where service workers run, the plaintext
// stream goes to disk chunk by chunk through the download worker (public/downloads/stream-sw.js)
// — pulled only as fast as the browser writes, so a large file never sits in memory; otherwise
// it is collected into a Blob first. A stream that fails (an integrity check, a lost
// connection) fails the browser's download too: no truncated or wrong file is left as done.
import { toBase64url } from "../../crypto";
import type { VersionStream } from "./download-file";
import { pumpDownload } from "./download-pump";
import { TransferError } from "./transfer-settings";

const WORKER_URL = "/downloads/stream-sw.js";
const WORKER_SCOPE = "/downloads/";

async function downloadWorker(): Promise<ServiceWorker | null> {
	if (!("serviceWorker" in navigator)) return null;
	try {
		const registration = await navigator.serviceWorker.register(WORKER_URL, {
			scope: WORKER_SCOPE,
		});
		const worker = registration.active ?? registration.waiting ?? registration.installing;
		if (!worker) return null;
		if (worker.state !== "activated") {
			await new Promise<void>((resolve, reject) => {
				worker.addEventListener("statechange", () => {
					if (worker.state === "activated") resolve();
					if (worker.state === "redundant") reject(new Error("download worker stopped"));
				});
			});
		}
		return worker;
	} catch {
		// Private windows of some browsers refuse service workers: fall back to a Blob.
		return null;
	}
}

function saveBlob(blob: Blob, name: string) {
	const url = URL.createObjectURL(blob);
	const link = document.createElement("a");
	link.href = url;
	link.download = name;
	link.click();
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

let registration: Promise<ServiceWorker | null> | undefined;

/**
 * Registers the download worker once per page (later calls share the first): a page may call
 * this early, so a download does not wait for the worker's first start.
 */
export function prepareDownloadWorker(): Promise<ServiceWorker | null> {
	registration ??= downloadWorker();
	return registration;
}

/** Streams `file` into a browser download named `name`; resolves once the last byte is handed over. */
export async function saveDownload({ stream, size }: VersionStream, name: string): Promise<void> {
	const worker = await prepareDownloadWorker();
	if (!worker) {
		saveBlob(await new Response(stream).blob(), name);
		return;
	}
	const token = toBase64url(crypto.getRandomValues(new Uint8Array(16)));
	const channel = new MessageChannel();
	const frame = document.createElement("iframe");
	frame.hidden = true;
	frame.title = "Download";
	try {
		const pumped = pumpDownload(
			stream,
			size,
			channel.port1,
			() => {
				frame.src = `${WORKER_SCOPE}${token}`;
				document.body.append(frame);
			},
			() => new TransferError("The download was cancelled."),
		);
		worker.postMessage({ kind: "coffre-download", token, name, size }, [channel.port2]);
		await pumped;
	} finally {
		channel.port1.close();
		// Give the browser a moment to finish the download before its frame goes.
		setTimeout(() => frame.remove(), 10_000);
	}
}
