// Keeps the engine collecting a transfer worker's young garbage often. The upload worker drops
// the Blob wrappers of the shards it sent (its 4 MiB buffers it frees itself: free-buffer.ts),
// but allocates few small objects, and the engine collects young objects only when those fill
// up: dropped objects waited for tens of MiB, and so did — where bodies are not spooled to disk
// (body-spool.ts) — the browser's copies of the Blobs' bytes, freed only when their wrappers
// are collected. (What the browser itself owns, such as WebCrypto's results and the objects
// behind each digest or fetch, only a full collection frees: that is why the worker frees its
// buffers and hashes in WebAssembly.) Allocating short-lived small arrays after each chunk, each dropped at once,
// keeps those collections coming for about a millisecond per 4 MiB chunk; nothing of it
// survives a collection, so the engine has no reason to grow its young space and collect less
// often. The download's opening worker (open-worker.ts) does the same after each chunk, and so
// does public/downloads/stream-sw.js (a plain script, it imports nothing).

/** The last array made: stored, so the engine cannot leave the allocations out. */
let lastPrompt: unknown;

/** Allocates and drops about `bytes` of small arrays (4 KiB each). */
export function promptCollection(bytes: number): void {
	for (let made = 0; made < bytes; made += 4096) lastPrompt = new Array(512);
}

/** The last array made (for tests: the allocations happened). */
export function lastPromptArray(): unknown {
	return lastPrompt;
}
