// The Transfers list's numbers (app/vault/transfer-summary): a batch counts queued files, leaves
// out cancelled and failed ones, and tells a speed and time left only while something runs.
import { describe, expect, it } from "vitest";
import {
	formatTimeLeft,
	paceOf,
	summarizeTransfers,
	type TransferFigures,
} from "../../app/vault/transfer-summary";

const MB = 1_000_000;

describe("summarizeTransfers", () => {
	it("counts queued files in the batch's total", () => {
		const batch: TransferFigures[] = [
			{ state: "running", done: 2 * MB, total: 10 * MB, startedAt: 0 },
			{ state: "queued", done: 0, total: 5 * MB },
			{ state: "queued", done: 0, total: 5 * MB },
		];
		const summary = summarizeTransfers(batch, 1000);
		expect(summary).toMatchObject({ done: 2 * MB, total: 20 * MB, active: 3, finished: 0 });
		// 2 MB in 1 s: 18 MB to go take 9 s.
		expect(summary.pace).toEqual({ bytesPerSecond: 2 * MB, secondsLeft: 9 });
	});

	it("paces the batch from its first start, files done included", () => {
		const batch: TransferFigures[] = [
			{ state: "done", done: 4 * MB, total: 4 * MB, startedAt: 0 },
			{ state: "running", done: 2 * MB, total: 4 * MB, startedAt: 2000 },
		];
		expect(summarizeTransfers(batch, 3000).pace).toEqual({
			bytesPerSecond: 2 * MB,
			secondsLeft: 1,
		});
	});

	it("leaves cancelled and failed transfers out, so the bar ends full", () => {
		const batch: TransferFigures[] = [
			{ state: "done", done: 3 * MB, total: 3 * MB, startedAt: 0 },
			{ state: "cancelled", done: 1 * MB, total: 8 * MB, startedAt: 0 },
			{ state: "cancelled", done: 0, total: 2 * MB },
			{ state: "failed", done: 0, total: 4 * MB, startedAt: 0 },
			{ state: "done", done: 0, total: 0, startedAt: 0 },
		];
		const summary = summarizeTransfers(batch, 5000);
		// The empty file counts as one byte, done.
		expect(summary).toMatchObject({ done: 3 * MB + 1, total: 3 * MB + 1, active: 0, finished: 5 });
		expect(summary.pace).toBeUndefined();
	});

	it("tells no pace before half a second or before any byte moved", () => {
		const running: TransferFigures = { state: "running", done: MB, total: 4 * MB, startedAt: 0 };
		expect(summarizeTransfers([running], 400).pace).toBeUndefined();
		expect(summarizeTransfers([{ ...running, done: 0 }], 5000).pace).toBeUndefined();
		expect(summarizeTransfers([running], 1000).pace).toBeDefined();
	});
});

describe("paceOf", () => {
	it("is a running transfer's own speed and time left", () => {
		expect(paceOf({ state: "running", done: 3 * MB, total: 9 * MB, startedAt: 0 }, 2000)).toEqual({
			bytesPerSecond: 1.5 * MB,
			secondsLeft: 4,
		});
	});

	it("is undefined for queued, finished and just started transfers", () => {
		expect(paceOf({ state: "queued", done: 0, total: MB }, 9000)).toBeUndefined();
		expect(paceOf({ state: "done", done: MB, total: MB, startedAt: 0 }, 9000)).toBeUndefined();
		expect(paceOf({ state: "running", done: 10, total: MB, startedAt: 0 }, 100)).toBeUndefined();
	});
});

it("formats time left in seconds, then whole minutes rounded up", () => {
	expect(formatTimeLeft(59)).toBe("59 s left");
	expect(formatTimeLeft(61)).toBe("2 min left");
});
