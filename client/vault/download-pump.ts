// The page's end of a streamed download (see save-download.ts): it answers the download worker's
// pulls with the plaintext stream's chunks through a message port, checks that the stream gives
// exactly the announced size, and sends the end as soon as the stream has closed after the last
// announced byte — without waiting for one more pull, which a browser that already holds the
// response's Content-Length has no reason to make.
import { TransferError } from "./transfer-settings";

/** What the download worker sends to the page. */
export type PumpRequest = { kind: "ready" } | { kind: "pull" } | { kind: "cancel" };
/** What the page sends to the download worker. */
export type PumpMessage =
	| { kind: "chunk"; bytes: Uint8Array }
	| { kind: "end" }
	| { kind: "error" };

interface PortLike {
	onmessage: ((event: MessageEvent<PumpRequest>) => void) | null;
	postMessage(message: PumpMessage, transfer?: Transferable[]): void;
}

/**
 * Feeds `stream` (exactly `size` bytes) to the worker on `port`. Resolves once the end is sent;
 * rejects when the stream fails or is longer than announced (the worker is told "error", so the
 * browser's download fails too), or when the worker cancels. `onReady` runs when the worker has
 * taken the download and waits for its request (the page opens the download then).
 */
export function pumpDownload(
	stream: ReadableStream<Uint8Array<ArrayBuffer>>,
	size: number,
	port: PortLike,
	onReady: () => void,
	onCancel: () => Error,
): Promise<void> {
	const reader = stream.getReader();
	let sent = 0;
	return new Promise<void>((resolve, reject) => {
		const fail = (error: unknown) => {
			port.postMessage({ kind: "error" });
			void reader.cancel().catch(() => {});
			reject(error);
		};
		const end = () => {
			port.postMessage({ kind: "end" });
			resolve();
		};
		const deliver = async () => {
			const { done, value } = await reader.read();
			if (done) {
				if (sent !== size)
					throw new TransferError(
						"The file ended before its announced size. Nothing wrong was saved.",
					);
				return end();
			}
			sent += value.length;
			if (sent > size)
				throw new TransferError(
					"The file is longer than its announced size. Nothing wrong was saved.",
				);
			port.postMessage({ kind: "chunk", bytes: value }, [value.buffer]);
			// All announced bytes are out: the browser need not pull again, so the end goes now
			// (once the stream confirms it closed after its last checks).
			if (sent === size) {
				const after = await reader.read();
				if (!after.done)
					throw new TransferError(
						"The file is longer than its announced size. Nothing wrong was saved.",
					);
				end();
			}
		};
		port.onmessage = ({ data }) => {
			if (data.kind === "ready") onReady();
			else if (data.kind === "pull") {
				if (sent === size && size > 0) return; // the end is already on its way
				deliver().catch(fail);
			} else if (data.kind === "cancel") {
				void reader.cancel().catch(() => {});
				reject(onCancel());
			}
		};
	});
}
