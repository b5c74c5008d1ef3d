// An HTTP response whose body is one byte buffer handed over as it is. `new Response(bytes)`
// copies a typed-array body before sending it (the Fetch standard extracts a body from a
// BufferSource by taking a copy of its bytes); a stream that enqueues the buffer itself is sent
// without that copy. The shard gateway answers every shard download this way: a shard-sized
// copy less per request, in time and in the gateway's memory. The caller must not change the
// buffer afterwards.

/** A response with `bytes` as its body, its Content-Length set, and no copy of the bytes. */
export function bytesResponse(bytes: Uint8Array, headers: Headers, status = 200): Response {
	headers.set("content-length", String(bytes.byteLength));
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			if (bytes.byteLength > 0) controller.enqueue(bytes);
			controller.close();
		},
	});
	return new Response(body, { status, headers });
}
