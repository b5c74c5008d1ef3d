// The benches' bootstrap interval of a speed ratio (bench/ratio-interval.ts): exact when calls
// do not scatter, around the point ratio and wider with more scatter when they do.
import { describe, expect, it } from "vitest";
import { median } from "../../bench/harness";
import { speedRatioInterval } from "../../bench/ratio-interval";
import { seededRandom } from "../helpers/seeded-random";

describe("speedRatioInterval", () => {
	it("is the ratio itself when no call scatters", () => {
		const interval = speedRatioInterval([20, 20, 20], [10, 10, 10, 10], {
			random: seededRandom(1),
		});
		expect(interval).toEqual({ low: 0.5, high: 0.5, confidence: 0.9 });
	});

	it("brackets the point ratio, and widens with the scatter", () => {
		const random = seededRandom(7);
		const jitter = (base: number, spread: number) =>
			Array.from({ length: 60 }, () => base + (random() - 0.5) * spread);
		const plain = jitter(10, 2);
		const tight = jitter(14, 1);
		const loose = jitter(14, 12);
		const point = median(plain) / median(tight);
		const narrow = speedRatioInterval(tight, plain, { random: seededRandom(3) });
		const wide = speedRatioInterval(loose, plain, { random: seededRandom(3) });
		expect(narrow.low).toBeLessThanOrEqual(point);
		expect(narrow.high).toBeGreaterThanOrEqual(point);
		expect(narrow.high - narrow.low).toBeGreaterThan(0);
		expect(wide.high - wide.low).toBeGreaterThan(2 * (narrow.high - narrow.low));
	});

	it("takes the confidence asked for, and refuses empty sides", () => {
		const times = [9, 10, 11, 12, 13, 10, 9, 14];
		const ninety = speedRatioInterval(times, times, { random: seededRandom(5) });
		const fifty = speedRatioInterval(times, times, { confidence: 0.5, random: seededRandom(5) });
		expect(fifty.confidence).toBe(0.5);
		expect(fifty.high - fifty.low).toBeLessThan(ninety.high - ninety.low);
		expect(() => speedRatioInterval([], times)).toThrow(RangeError);
		expect(() => median([])).toThrow(RangeError);
		// The bench's median: the middle value, or the mean of the two middle ones.
		expect(median([3, 1, 2])).toBe(2);
		expect(median([4, 1, 3, 2])).toBe(2.5);
	});
});
