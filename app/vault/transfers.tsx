"use client";
// Transfer progress: one row per upload or download (queued until its turn, then bytes, speed,
// time left, a note while it waits for the network, cancel) and an overall bar for the batch
// with its speed and time left, a button that cancels everything and one that clears the
// finished rows. Progress bars are real <progress> elements, so screen readers announce them.
import { formatBytes } from "../_components/format-bytes";
import {
	formatTimeLeft,
	type Pace,
	paceOf,
	summarizeTransfers,
	type TransferState,
} from "./transfer-summary";

export interface Transfer {
	id: string;
	direction: "upload" | "download";
	name: string;
	done: number;
	total: number;
	/** When it started moving bytes; a queued transfer has none yet. */
	startedAt?: number;
	state: TransferState;
	/** True while it waits to try again after a network failure. */
	waiting?: boolean;
	error?: string;
	cancel: () => void;
}

function describePace(pace: Pace | undefined): string {
	return pace
		? ` · ${formatBytes(pace.bytesPerSecond)}/s · ${formatTimeLeft(pace.secondsLeft)}`
		: "";
}

function status(transfer: Transfer, now: number): string {
	switch (transfer.state) {
		case "queued":
			return "Queued";
		case "done":
			return transfer.direction === "upload" ? "Uploaded" : "Downloaded";
		case "failed":
			return `Failed: ${transfer.error ?? ""}`;
		case "cancelled":
			return "Cancelled";
		default:
			return transfer.waiting
				? `${formatBytes(transfer.done)} of ${formatBytes(transfer.total)} · waiting for the network…`
				: `${formatBytes(transfer.done)} of ${formatBytes(transfer.total)}${describePace(paceOf(transfer, now))}`;
	}
}

function isActive(transfer: Transfer): boolean {
	return transfer.state === "running" || transfer.state === "queued";
}

export function Transfers({
	transfers,
	onCancelAll,
	onClearFinished,
}: {
	transfers: Transfer[];
	/** Cancels every running and queued transfer. */
	onCancelAll: () => void;
	/** Drops the rows of finished, failed and cancelled transfers. */
	onClearFinished: () => void;
}) {
	if (transfers.length === 0) return null;
	const now = Date.now();
	const { done, total, active, finished, pace } = summarizeTransfers(transfers, now);
	return (
		<section
			aria-label="Transfers"
			className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
		>
			<div>
				<div className="flex flex-wrap items-center justify-between gap-x-3 text-sm">
					<span className="font-semibold">Transfers</span>
					{/* Nothing counted (every transfer failed or was cancelled): no bytes to tell. */}
					{total > 0 ? (
						<span className="ml-auto" data-testid="transfers-total">
							{formatBytes(done)} of {formatBytes(total)}
							{describePace(pace)}
						</span>
					) : null}
					{active > 1 ? (
						<button type="button" className="text-red-800 underline" onClick={onCancelAll}>
							Cancel all<span className="sr-only"> transfers</span>
						</button>
					) : null}
					{finished > 0 ? (
						<button type="button" className="text-brand-700 underline" onClick={onClearFinished}>
							Clear finished<span className="sr-only"> transfers</span>
						</button>
					) : null}
				</div>
				{total > 0 ? (
					<progress
						className="mt-1 h-2 w-full"
						value={done}
						max={total}
						aria-label="All transfers"
					/>
				) : null}
			</div>
			{/* A folder of hundreds of files scrolls within the box instead of pushing the listing
			    away (browsers let the keyboard scroll it; its Cancel buttons scroll into view). */}
			<ul className="flex max-h-72 flex-col gap-2 overflow-y-auto pr-1">
				{transfers.map((transfer) => (
					<li key={transfer.id} className="text-sm" data-testid="transfer">
						<div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
							<span className="min-w-0 truncate font-medium">
								<span className="sr-only">
									{transfer.direction === "upload" ? "Upload: " : "Download: "}
								</span>
								<span aria-hidden="true">{transfer.direction === "upload" ? "↑ " : "↓ "}</span>
								{transfer.name}
							</span>
							{/* A failure's reason wraps within the row; the other states stay on one line. */}
							<span
								className={
									transfer.state === "failed" ? "min-w-0 text-red-800" : "shrink-0 text-slate-600"
								}
							>
								{status(transfer, now)}
							</span>
							{isActive(transfer) ? (
								<button type="button" className="text-red-800 underline" onClick={transfer.cancel}>
									Cancel<span className="sr-only"> {transfer.name}</span>
								</button>
							) : null}
						</div>
						<progress
							className="h-1.5 w-full"
							value={transfer.state === "done" ? 1 : Math.min(transfer.done, transfer.total)}
							max={transfer.state === "done" ? 1 : Math.max(transfer.total, 1)}
							aria-label={`${transfer.direction === "upload" ? "Upload" : "Download"} of ${transfer.name}`}
						/>
					</li>
				))}
			</ul>
		</section>
	);
}
