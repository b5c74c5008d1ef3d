// What the Transfers list says in numbers: each transfer's speed and time left, and the whole
// batch's bytes, speed and time left. A batch counts every file picked, the ones still queued
// included, and leaves out what was cancelled or failed, so its bar ends full when the rest
// is done. Pure: the caller passes the time.

export type TransferState = "queued" | "running" | "done" | "failed" | "cancelled";

/** The parts of a transfer its numbers come from. */
export interface TransferFigures {
	done: number;
	total: number;
	state: TransferState;
	/** When it started moving bytes (ms); a queued transfer has none. */
	startedAt?: number;
}

/** How fast something moves and how long it still needs, once that can be told. */
export interface Pace {
	bytesPerSecond: number;
	secondsLeft: number;
}

export interface TransfersSummary {
	/** Bytes moved of the counted transfers (a finished empty file counts as one). */
	done: number;
	total: number;
	/** Transfers running or waiting their turn. */
	active: number;
	/** Finished, failed or cancelled. */
	finished: number;
	/** Only while something runs, and after long enough to tell. */
	pace?: Pace;
}

/** Below this much time a speed is noise. */
const MIN_PACE_MS = 500;

/** Bytes a transfer counts for: an empty file still counts, so that its bar can fill. */
function size(transfer: TransferFigures): number {
	return Math.max(transfer.total, 1);
}

function moved(transfer: TransferFigures): number {
	return transfer.state === "done" ? size(transfer) : Math.min(transfer.done, size(transfer));
}

function pace(bytes: number, left: number, elapsedMs: number): Pace | undefined {
	if (elapsedMs < MIN_PACE_MS || bytes <= 0) return undefined;
	const bytesPerSecond = bytes / (elapsedMs / 1000);
	return { bytesPerSecond, secondsLeft: Math.ceil(left / bytesPerSecond) };
}

/** A running transfer's own speed and time left. */
export function paceOf(transfer: TransferFigures, now: number): Pace | undefined {
	if (transfer.state !== "running" || transfer.startedAt === undefined) return undefined;
	return pace(transfer.done, transfer.total - transfer.done, now - transfer.startedAt);
}

/** The batch's numbers: everything not cancelled or failed, queued transfers included. */
export function summarizeTransfers(
	transfers: readonly TransferFigures[],
	now: number,
): TransfersSummary {
	const counted = transfers.filter((t) => t.state !== "cancelled" && t.state !== "failed");
	const done = counted.reduce((sum, t) => sum + moved(t), 0);
	const total = counted.reduce((sum, t) => sum + size(t), 0);
	const active = transfers.filter((t) => t.state === "queued" || t.state === "running").length;
	const summary: TransfersSummary = {
		done,
		total,
		active,
		finished: transfers.length - active,
	};
	if (!counted.some((t) => t.state === "running")) return summary;
	// From the first start of what is counted: files done one after another make one pace.
	const starts = counted.flatMap((t) => (t.startedAt === undefined ? [] : [t.startedAt]));
	const batchPace = pace(done, total - done, now - Math.min(...starts));
	return batchPace ? { ...summary, pace: batchPace } : summary;
}

/** "3 s left", "2 min left". */
export function formatTimeLeft(seconds: number): string {
	return seconds < 60 ? `${seconds} s left` : `${Math.ceil(seconds / 60)} min left`;
}
