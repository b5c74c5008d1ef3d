// How sure a bench run's speed ratio is: a percentile bootstrap interval of the ratio of two
// medians of timed calls (the reference's median time over the measured one's, which is the
// ratio of their MB/s). Calls on these shared two-core machines are noisy; the interval shows a
// reader whether a ratio near its goal is above it by more than the run's own scatter.
// Written here: a few lines of textbook resampling, no package does just this.
import { median } from "./harness";

/** Lower and upper bound of the ratio, and the confidence they were taken at. */
export interface RatioInterval {
	low: number;
	high: number;
	confidence: number;
}

export interface BootstrapOptions {
	/** How many resamples (default 2000). */
	resamples?: number;
	/** Two-sided confidence, e.g. 0.9 (default) for the 5th and 95th percentiles. */
	confidence?: number;
	/** Uniform [0, 1) source; tests pass a seeded one. */
	random?: () => number;
}

function resample(values: readonly number[], random: () => number): number[] {
	return values.map(() => values[Math.floor(random() * values.length)] as number);
}

/**
 * The interval of median(referenceTimes) / median(measuredTimes): each resample draws both sets
 * of calls again with replacement, and the bounds are the resampled ratios' percentiles.
 * @example speedRatioInterval(shardMs, plainMs) // { low: 0.66, high: 0.74, confidence: 0.9 }
 */
export function speedRatioInterval(
	measuredTimes: readonly number[],
	referenceTimes: readonly number[],
	{ resamples = 2000, confidence = 0.9, random = Math.random }: BootstrapOptions = {},
): RatioInterval {
	if (measuredTimes.length === 0 || referenceTimes.length === 0) {
		throw new RangeError("a ratio interval needs timed calls on both sides");
	}
	const ratios = Array.from(
		{ length: resamples },
		() => median(resample(referenceTimes, random)) / median(resample(measuredTimes, random)),
	).sort((x, y) => x - y);
	const tail = (1 - confidence) / 2;
	const at = (fraction: number) =>
		ratios[
			Math.min(ratios.length - 1, Math.max(0, Math.round(fraction * (ratios.length - 1))))
		] as number;
	return { low: at(tail), high: at(1 - tail), confidence };
}
