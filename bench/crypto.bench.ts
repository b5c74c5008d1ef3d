// Crypto core benchmarks (issue 4): sealed-stream seal and open throughput on 256 MiB as a ratio
// to bare WebCrypto AES-256-GCM on the same chunks measured in the same run, peak memory above baseline while
// streaming 1 GiB through seal and open, and sealed-box operations per second on 100-byte
// metadata against raw @noble XChaCha20-Poly1305.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import {
	createOpenStream,
	createSealStream,
	createStreamSealer,
	DEFAULT_CHUNK_SIZE,
	deriveContentKey,
	generateKey,
	openBox,
	sealBox,
} from "../crypto/index";
import type { MemoryProbeMode, MemoryProbeResult } from "./crypto-memory-probe";
import type { BenchFigure } from "./harness";
import { median, medianMs, randomBytes, throughputMBps } from "./harness";

const MiB = 2 ** 20;
const THROUGHPUT_SIZE = 256 * MiB;
const MEMORY_SIZE = 1024 * MiB;
/** Reference and subject are measured in alternating rounds: the machine is shared and its load drifts. */
const THROUGHPUT_ROUNDS = 5;
/** Input arrives in 1 MiB pieces, like a file read in slices (not aligned to the 4 MiB chunks). */
const INPUT_PIECE = MiB;
const MEMORY_BUDGET_MiB = 64;

const ids = { fileId: "bench-file", versionId: "bench-version" };
const contentKey = deriveContentKey(generateKey("NodeKey"), ids.versionId);

function sourceOf(buffer: Uint8Array): ReadableStream<Uint8Array> {
	let offset = 0;
	return new ReadableStream<Uint8Array>({
		pull(controller) {
			if (offset >= buffer.length) return controller.close();
			controller.enqueue(buffer.subarray(offset, offset + INPUT_PIECE));
			offset += INPUT_PIECE;
		},
	});
}

function countingSink(onChunk: (chunk: Uint8Array) => void = () => {}): WritableStream<Uint8Array> {
	return new WritableStream({ write: onChunk });
}

async function sealToBuffer(plaintext: Uint8Array): Promise<Uint8Array> {
	const sealer = await createStreamSealer(contentKey, { ...ids, totalSize: plaintext.length });
	const out = new Uint8Array(sealer.header.length + plaintext.length + sealer.chunkCount * 16);
	let offset = 0;
	await sourceOf(plaintext)
		.pipeThrough(createSealStream(sealer))
		.pipeTo(
			countingSink((chunk) => {
				out.set(chunk, offset);
				offset += chunk.length;
			}),
		);
	return out;
}

/**
 * The reference for seal and open: bare WebCrypto AES-256-GCM over the same bytes, cut into the
 * same chunks, each encrypted (or decrypted) in turn, with a fresh output per call as the stream
 * gets. One call on a whole 64 MiB buffer is no fair reference: its single huge output buffer is
 * slow to allocate and fault in, so it ran at a third of the chunked speed.
 */
async function bareChunkedAesGcm(plaintext: Uint8Array<ArrayBuffer>): Promise<{
	encryptAll: () => Promise<void>;
	decryptAll: () => Promise<void>;
}> {
	const key = await crypto.subtle.importKey("raw", randomBytes(32), "AES-GCM", false, [
		"encrypt",
		"decrypt",
	]);
	const ivFor = (index: number) => {
		const iv = new Uint8Array(12);
		new DataView(iv.buffer).setUint32(7, index);
		return iv;
	};
	const chunks: Uint8Array<ArrayBuffer>[] = [];
	for (let offset = 0; offset < plaintext.length; offset += DEFAULT_CHUNK_SIZE) {
		chunks.push(plaintext.subarray(offset, offset + DEFAULT_CHUNK_SIZE));
	}
	const sealedChunks = await Promise.all(
		chunks.map(async (chunk, index) =>
			crypto.subtle.encrypt({ name: "AES-GCM", iv: ivFor(index) }, key, chunk),
		),
	);
	return {
		async encryptAll() {
			for (const [index, chunk] of chunks.entries()) {
				await crypto.subtle.encrypt({ name: "AES-GCM", iv: ivFor(index) }, key, chunk);
			}
		},
		async decryptAll() {
			for (const [index, chunk] of sealedChunks.entries()) {
				await crypto.subtle.decrypt({ name: "AES-GCM", iv: ivFor(index) }, key, chunk);
			}
		},
	};
}

/** Runs one memory probe in a fresh Node process, so no figure inherits another's heap. */
function probeMemory(mode: MemoryProbeMode): MemoryProbeResult {
	const output = execFileSync(
		process.execPath,
		[
			"--expose-gc",
			"--import",
			"tsx",
			join(import.meta.dirname, "crypto-memory-probe.ts"),
			mode,
			String(MEMORY_SIZE),
		],
		{ encoding: "utf8", maxBuffer: 1 << 20 },
	);
	return JSON.parse(output.trim().split("\n").at(-1) as string) as MemoryProbeResult;
}

/**
 * Fresh processes probed one after another; the figure is the run with the median peak. One
 * process alone is noisy (seen: 20 to 65 MiB for the same stream): its RSS baseline depends on
 * how much freed memory the allocator happened to hand back to the system after the warm-up.
 */
const MEMORY_PROBES = 5;
interface MemoryFigure extends MemoryProbeResult {
	/** Lowest and highest peak above baseline over the probes, in MiB. */
	range: [number, number];
}
function probeMemoryMedian(mode: MemoryProbeMode): MemoryFigure {
	const runs = Array.from({ length: MEMORY_PROBES }, () => probeMemory(mode)).sort(
		(a, b) => a.above - b.above,
	);
	const middle = runs[Math.floor(runs.length / 2)] as MemoryProbeResult;
	return {
		...middle,
		range: [(runs[0] as MemoryProbeResult).above, (runs.at(-1) as MemoryProbeResult).above],
	};
}

function rangeNote(figure: MemoryFigure): string {
	return `median of ${MEMORY_PROBES} fresh processes (range ${figure.range[0].toFixed(0)}–${figure.range[1].toFixed(0)} MiB)`;
}

/** Operations per second of `fn`: the median of batches of `batch` calls over ~300 ms. */
async function opsPerSecond(fn: () => unknown, batch = 500): Promise<number> {
	const ms = await medianMs(
		() => {
			for (let i = 0; i < batch; i++) fn();
		},
		{ minMs: 300, minRuns: 5, warmup: 1 },
	);
	return (batch / ms) * 1000;
}

/**
 * Measures `subject` and `reference` in alternating rounds (the machine is shared, so load
 * changes between rounds) and returns the medians of each.
 */
async function alternatingOps(
	subject: () => unknown,
	reference: () => unknown,
	rounds = 7,
): Promise<{ subject: number; reference: number }> {
	const subjects: number[] = [];
	const references: number[] = [];
	for (let round = 0; round < rounds; round++) {
		subjects.push(await opsPerSecond(subject));
		references.push(await opsPerSecond(reference));
	}
	return { subject: median(subjects), reference: median(references) };
}

export default async function cryptoBench(): Promise<BenchFigure[]> {
	const memory = probeMemoryMedian("stream");
	const liveSet = probeMemoryMedian("stream-gc-every-chunk");
	const bare = probeMemoryMedian("bare-webcrypto");

	const plaintext = randomBytes(THROUGHPUT_SIZE);
	const sealed = await sealToBuffer(plaintext);
	const once = { minMs: 0, minRuns: 1, warmup: 0 };
	const bareAes = await bareChunkedAesGcm(plaintext);
	const encryptRounds: number[] = [];
	const decryptRounds: number[] = [];
	const sealRounds: number[] = [];
	const openRounds: number[] = [];
	for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
		encryptRounds.push(await throughputMBps(bareAes.encryptAll, THROUGHPUT_SIZE, once));
		sealRounds.push(
			await throughputMBps(
				async () => {
					const sealer = await createStreamSealer(contentKey, {
						...ids,
						totalSize: THROUGHPUT_SIZE,
					});
					await sourceOf(plaintext).pipeThrough(createSealStream(sealer)).pipeTo(countingSink());
				},
				THROUGHPUT_SIZE,
				once,
			),
		);
		decryptRounds.push(await throughputMBps(bareAes.decryptAll, THROUGHPUT_SIZE, once));
		openRounds.push(
			await throughputMBps(
				() =>
					sourceOf(sealed).pipeThrough(createOpenStream(contentKey, ids)).pipeTo(countingSink()),
				THROUGHPUT_SIZE,
				once,
			),
		);
	}
	const encrypt = median(encryptRounds);
	const decrypt = median(decryptRounds);
	const seal = median(sealRounds);
	const open = median(openRounds);

	const boxKey = generateKey("NodeKey");
	const metadata = randomBytes(100);
	const boundTo = { node: "node-0001", version: "version-0001" };
	const box = sealBox({ key: boxKey, purpose: "node-metadata", boundTo, plaintext: metadata });
	const rawKey = randomBytes(32);
	const rawNonce = randomBytes(24);
	const rawAd = randomBytes(40);
	const rawSealed = xchacha20poly1305(rawKey, rawNonce, rawAd).encrypt(metadata);
	const sealOps = await alternatingOps(
		() => sealBox({ key: boxKey, purpose: "node-metadata", boundTo, plaintext: metadata }),
		() => xchacha20poly1305(rawKey, rawNonce, rawAd).encrypt(metadata),
	);
	const openOps = await alternatingOps(
		() => openBox({ key: boxKey, purpose: "node-metadata", boundTo, box }),
		() => xchacha20poly1305(rawKey, rawNonce, rawAd).decrypt(rawSealed),
	);

	const streamNote = `256 MiB, ${DEFAULT_CHUNK_SIZE / MiB} MiB chunks, input in ${INPUT_PIECE / MiB} MiB pieces, web streams; medians of ${THROUGHPUT_ROUNDS} rounds alternating with the reference (bare WebCrypto over the same bytes in the same ${DEFAULT_CHUNK_SIZE / MiB} MiB chunks, one call after another, no streams)`;
	const boxNote =
		"100-byte plaintext, medians of 7 alternating rounds; the box adds a random nonce, the AD encoding and the HMAC-SHA256 key commitment";
	return [
		{
			name: "sealed stream seal",
			unit: "MB/s",
			value: seal,
			reference: "WebCrypto AES-256-GCM encrypt, same chunks",
			referenceValue: encrypt,
			goal: 0.9,
			higherIsBetter: true,
			note: streamNote,
		},
		{
			name: "sealed stream open",
			unit: "MB/s",
			value: open,
			reference: "WebCrypto AES-256-GCM decrypt, same chunks",
			referenceValue: decrypt,
			goal: 0.9,
			higherIsBetter: true,
			note: streamNote,
		},
		{
			name: "sealed stream seal+open 1 GiB, peak RSS above baseline",
			unit: "MiB",
			value: memory.above,
			reference: "memory budget",
			referenceValue: MEMORY_BUDGET_MiB,
			goal: 1,
			higherIsBetter: false,
			note: `${rangeNote(memory)}, default GC; baseline ${memory.baseline.toFixed(0)} MiB RSS after a 64 MiB warm-up and a GC; sampled every 10 ms and on every output chunk; peaks above baseline: V8 external ${memory.externalAbove.toFixed(0)} MiB (WebCrypto results, freed at GC), ArrayBuffers ${memory.arrayBuffersAbove.toFixed(0)} MiB`,
		},
		{
			name: "sealed stream seal+open 1 GiB, peak RSS above baseline, GC after every chunk",
			unit: "MiB",
			value: liveSet.above,
			reference: "memory budget",
			referenceValue: MEMORY_BUDGET_MiB,
			goal: 1,
			higherIsBetter: false,
			note: `${rangeNote(liveSet)}, 64 MiB warm-up; what the pipeline keeps alive, without the buffers Node's WebCrypto releases only at a later GC; peaks: external ${liveSet.externalAbove.toFixed(0)} MiB, ArrayBuffers ${liveSet.arrayBuffersAbove.toFixed(0)} MiB`,
		},
		{
			name: "bare WebCrypto encrypt+decrypt loop 1 GiB (4 MiB chunks), peak RSS above baseline",
			unit: "MiB",
			value: bare.above,
			reference: "memory budget",
			referenceValue: MEMORY_BUDGET_MiB,
			goal: 1,
			higherIsBetter: false,
			note: `${rangeNote(bare)}, default GC, 64 MiB warm-up; context for the figures above: the runtime alone, no Coffre code; peaks: external ${bare.externalAbove.toFixed(0)} MiB, ArrayBuffers ${bare.arrayBuffersAbove.toFixed(0)} MiB`,
		},
		{
			name: "sealed box seal (100 B)",
			unit: "ops/s",
			value: sealOps.subject,
			reference: "raw @noble xchacha20poly1305 encrypt",
			referenceValue: sealOps.reference,
			goal: 0.5,
			higherIsBetter: true,
			note: boxNote,
		},
		{
			name: "sealed box open (100 B)",
			unit: "ops/s",
			value: openOps.subject,
			reference: "raw @noble xchacha20poly1305 decrypt",
			referenceValue: openOps.reference,
			goal: 0.5,
			higherIsBetter: true,
			note: boxNote,
		},
	];
}
