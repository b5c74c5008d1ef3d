// Frees a large buffer the moment it is no longer needed, instead of at the engine's next full
// collection. A buffer WebCrypto returns (each sealed chunk of an upload, 4 MiB) is owned by
// the browser, not by the JavaScript engine: dropped, it is freed only when a full collection
// finds its wrapper dead, and the engine starts one only after about 64 MiB of such memory
// has piled up — which is how the upload worker grew 60–100 MiB above what it actually held.
// Transferring a buffer detaches it and moves its bytes into the message; a message posted to
// a port whose other end is closed is dropped, and its bytes with it, at once. (Detaching with
// `ArrayBuffer.prototype.transfer` is no substitute: the browser's wrapper keeps the bytes
// while the engine stops counting them, so nothing is freed until much later.)

/** A port whose other end is closed: whatever is transferred into it is dropped. */
let sink: MessagePort | undefined;

function sinkPort(): MessagePort {
	if (!sink) {
		const channel = new MessageChannel();
		channel.port2.close();
		sink = channel.port1;
	}
	return sink;
}

/**
 * Frees `bytes`' whole buffer now; every view of it reads as empty afterwards. Only for a
 * buffer nothing else will read. Buffers that cannot be moved (shared, or already detached)
 * are left to the collector.
 */
export function freeBuffer(bytes: Uint8Array): void {
	const buffer = bytes.buffer;
	if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) return;
	try {
		sinkPort().postMessage(null, [buffer]);
	} catch {
		// Not transferable here (e.g. a WebAssembly memory's buffer): the collector frees it.
	}
}
