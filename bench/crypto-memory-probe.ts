// Measures peak RSS above a baseline for one way of pushing data through AES-256-GCM, in its own
// process (run with --expose-gc by bench/crypto.bench.ts, never by the bench runner: its name does
// not end in .bench.ts). The same work first runs on 64 MiB as a warm-up, so the baseline already
// holds what any first use costs once (compiled code, OpenSSL and thread-pool start-up) and the
// figure is what streaming more data adds. --expose-gc only settles the baseline; the "stream" and
// "bare-webcrypto" runs themselves use the default GC. Prints one JSON line: { baseline, above,
// externalAbove, arrayBuffersAbove } in MiB. WebCrypto results count in `external` (V8 frees
// them only at a GC, and V8 starts one when external memory has grown by about 64 MiB), not in
// `arrayBuffers` (which counts only Node's own ArrayBuffer allocator).
import {
	createOpenStream,
	createSealStream,
	createStreamSealer,
	DEFAULT_CHUNK_SIZE,
	deriveContentKey,
	generateKey,
} from "../crypto/index";
import { randomBytes } from "./harness";

export type MemoryProbeMode = "stream" | "stream-gc-every-chunk" | "bare-webcrypto";
export interface MemoryProbeResult {
	/** RSS after warm-up and a GC, in MiB. */
	baseline: number;
	/** Peak RSS above the baseline, in MiB. */
	above: number;
	/** Peak of process.memoryUsage().external above its baseline, in MiB (includes WebCrypto results). */
	externalAbove: number;
	/** Peak of process.memoryUsage().arrayBuffers above its baseline, in MiB. */
	arrayBuffersAbove: number;
}

const MiB = 2 ** 20;
const WARM_UP_SIZE = 64 * MiB;
/** Input arrives in 1 MiB pieces, like a file read in slices. */
const INPUT_PIECE = MiB;
const ids = { fileId: "bench-file", versionId: "bench-version" };
const contentKey = deriveContentKey(generateKey("NodeKey"), ids.versionId);

function collectGarbage(): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error("run with --expose-gc");
	gc();
}

/**
 * Peak RSS (and external and ArrayBuffer bytes) above a baseline taken after a warm-up run and a GC, in MiB,
 * while `run` works; sampled every 10 ms and on demand.
 */
async function peakAboveBaseline(
	run: (size: number, sample: () => void) => Promise<void>,
	size: number,
): Promise<MemoryProbeResult> {
	await run(WARM_UP_SIZE, () => {});
	collectGarbage();
	await new Promise((resolve) => setTimeout(resolve, 50));
	const start = process.memoryUsage();
	let peakRss = start.rss;
	let peakArrayBuffers = start.arrayBuffers;
	let peakExternal = start.external;
	const sample = () => {
		const now = process.memoryUsage();
		peakRss = Math.max(peakRss, now.rss);
		peakExternal = Math.max(peakExternal, now.external);
		peakArrayBuffers = Math.max(peakArrayBuffers, now.arrayBuffers);
	};
	const sampler = setInterval(sample, 10);
	try {
		await run(size, sample);
	} finally {
		clearInterval(sampler);
	}
	return {
		baseline: start.rss / MiB,
		above: (peakRss - start.rss) / MiB,
		externalAbove: (peakExternal - start.external) / MiB,
		arrayBuffersAbove: (peakArrayBuffers - start.arrayBuffers) / MiB,
	};
}

/** Streams `size` fresh bytes (1 MiB pieces, as a file reader gives) through seal then open. */
async function streamThroughSealAndOpen(size: number, afterChunk: () => void): Promise<void> {
	const piece = randomBytes(INPUT_PIECE);
	let produced = 0;
	let consumed = 0;
	const sealer = await createStreamSealer(contentKey, { ...ids, totalSize: size });
	await new ReadableStream<Uint8Array>({
		pull(controller) {
			if (produced >= size) return controller.close();
			controller.enqueue(piece.slice());
			produced += piece.length;
		},
	})
		.pipeThrough(createSealStream(sealer))
		.pipeThrough(createOpenStream(contentKey, ids))
		.pipeTo(
			new WritableStream<Uint8Array>({
				write(chunk) {
					consumed += chunk.length;
					afterChunk();
				},
			}),
		);
	if (consumed !== size) throw new Error(`streamed ${consumed} bytes, expected ${size}`);
}

/** The same work with bare WebCrypto: encrypt then decrypt 4 MiB chunks one after another. */
async function bareWebCryptoLoop(size: number, afterChunk: () => void): Promise<void> {
	const key = await crypto.subtle.importKey("raw", randomBytes(32), "AES-GCM", false, [
		"encrypt",
		"decrypt",
	]);
	const iv = new Uint8Array(12);
	for (let done = 0; done < size; done += DEFAULT_CHUNK_SIZE) {
		const chunk = randomBytes(DEFAULT_CHUNK_SIZE);
		const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, chunk);
		await crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, sealed);
		afterChunk();
	}
}

async function main(): Promise<void> {
	const mode = process.argv[2] as MemoryProbeMode;
	const size = Number(process.argv[3]);
	let result: MemoryProbeResult;
	if (mode === "stream") {
		result = await peakAboveBaseline(streamThroughSealAndOpen, size);
	} else if (mode === "stream-gc-every-chunk") {
		result = await peakAboveBaseline(
			(n, sample) =>
				streamThroughSealAndOpen(n, () => {
					collectGarbage();
					sample();
				}),
			size,
		);
	} else if (mode === "bare-webcrypto") {
		result = await peakAboveBaseline(bareWebCryptoLoop, size);
	} else {
		throw new Error(`unknown mode ${mode}`);
	}
	console.log(JSON.stringify(result));
}

if (process.argv[1]?.endsWith("crypto-memory-probe.ts")) await main();
