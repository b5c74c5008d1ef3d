// Shared measuring tools for `npm run bench`. A benchmark file (`bench/<name>.bench.ts`)
// default-exports an async function returning `BenchFigure`s; the runner adds the ratio to the
// reference measured in the same run. Timings here never gate tests (DESIGN §10).
import type { RatioInterval } from "./ratio-interval";

/** One measured figure, compared with a reference measured in the same run. */
export interface BenchFigure {
	/** What was measured, e.g. "sealed stream seal 256 MiB". */
	name: string;
	/** Unit of `value` and `referenceValue`, e.g. "MB/s", "ms/op", "MiB". */
	unit: string;
	value: number;
	/** What the figure is compared with, e.g. "WebCrypto AES-256-GCM". */
	reference: string;
	referenceValue: number;
	/** The ratio (value / referenceValue) the issue asks for. */
	goal: number;
	/** True for throughput (ratio ≥ goal is good); false for times and memory (ratio ≤ goal). */
	higherIsBetter: boolean;
	/** Optional context for the report (sizes, parameters). */
	note?: string;
	/**
	 * How far the ratio could move with this run's own scatter (bench/ratio-interval.ts), for
	 * figures timed over many calls.
	 */
	ratioInterval?: RatioInterval;
}

export type BenchFile = { default: () => Promise<BenchFigure[]> };

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
	if (values.length === 0) throw new RangeError("the median of no values");
	const sorted = [...values].sort((x, y) => x - y);
	const middle = sorted.length / 2;
	return Number.isInteger(middle)
		? ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
		: (sorted[Math.floor(middle)] as number);
}

/** Runs `fn` repeatedly for at least `minMs` and returns the median duration of one run in ms. */
export async function medianMs(
	fn: () => unknown | Promise<unknown>,
	{ minMs = 1_000, minRuns = 5, warmup = 2 } = {},
): Promise<number> {
	for (let i = 0; i < warmup; i++) await fn();
	const samples: number[] = [];
	const start = performance.now();
	while (samples.length < minRuns || performance.now() - start < minMs) {
		const t0 = performance.now();
		await fn();
		samples.push(performance.now() - t0);
	}
	return median(samples);
}

/** Throughput in MB/s (10^6 bytes per second) of `fn` processing `bytes` bytes per call. */
export async function throughputMBps(
	fn: () => unknown | Promise<unknown>,
	bytes: number,
	options?: { minMs?: number; minRuns?: number; warmup?: number },
): Promise<number> {
	const ms = await medianMs(fn, options);
	return bytes / 1e6 / (ms / 1e3);
}

/** Resident set size in MiB, after a garbage collection when `--expose-gc` is on. */
export function rssMiB(): number {
	(globalThis as { gc?: () => void }).gc?.();
	return process.memoryUsage().rss / 2 ** 20;
}

/** Fills a buffer with pseudo-random bytes quickly (getRandomValues is capped at 64 KiB a call). */
export function randomBytes(size: number): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(size);
	for (let offset = 0; offset < size; offset += 65_536) {
		crypto.getRandomValues(out.subarray(offset, Math.min(size, offset + 65_536)));
	}
	return out;
}
