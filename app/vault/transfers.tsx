"use client";
// Transfer progress: one row per upload or download (bytes, speed, time left, a note while it
// waits for the network, cancel) and an overall bar, with a button that clears the finished
// ones. Progress bars are real <progress> elements, so screen readers announce them.
import { formatBytes } from "../_components/format-bytes";

export interface Transfer {
	id: string;
	direction: "upload" | "download";
	name: string;
	done: number;
	total: number;
	startedAt: number;
	state: "running" | "done" | "failed" | "cancelled";
	/** True while it waits to try again after a network failure. */
	waiting?: boolean;
	error?: string;
	cancel: () => void;
}

function rate(transfer: Transfer): string {
	const seconds = (Date.now() - transfer.startedAt) / 1000;
	if (transfer.state !== "running" || seconds < 0.5 || transfer.done === 0) return "";
	const perSecond = transfer.done / seconds;
	const remaining = Math.ceil((transfer.total - transfer.done) / perSecond);
	return ` · ${formatBytes(perSecond)}/s · ${remaining < 60 ? `${remaining} s` : `${Math.ceil(remaining / 60)} min`} left`;
}

function status(transfer: Transfer): string {
	switch (transfer.state) {
		case "done":
			return transfer.direction === "upload" ? "Uploaded" : "Downloaded";
		case "failed":
			return `Failed: ${transfer.error ?? ""}`;
		case "cancelled":
			return "Cancelled";
		default:
			return transfer.waiting
				? `${formatBytes(transfer.done)} of ${formatBytes(transfer.total)} · waiting for the network…`
				: `${formatBytes(transfer.done)} of ${formatBytes(transfer.total)}${rate(transfer)}`;
	}
}

export function Transfers({
	transfers,
	onClearFinished,
}: {
	transfers: Transfer[];
	/** Drops the rows of finished, failed and cancelled transfers. */
	onClearFinished: () => void;
}) {
	if (transfers.length === 0) return null;
	const finished = transfers.some((transfer) => transfer.state !== "running");
	const total = transfers.reduce((sum, transfer) => sum + Math.max(transfer.total, 1), 0);
	const done = transfers.reduce(
		(sum, transfer) =>
			sum + (transfer.state === "done" ? Math.max(transfer.total, 1) : transfer.done),
		0,
	);
	return (
		<section
			aria-label="Transfers"
			className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
		>
			<div>
				<div className="flex flex-wrap items-center justify-between gap-x-3 text-sm">
					<span className="font-semibold">Transfers</span>
					<span className="ml-auto">
						{formatBytes(done)} of {formatBytes(total)}
					</span>
					{finished ? (
						<button type="button" className="text-brand-700 underline" onClick={onClearFinished}>
							Clear finished<span className="sr-only"> transfers</span>
						</button>
					) : null}
				</div>
				<progress className="mt-1 h-2 w-full" value={done} max={total} aria-label="All transfers" />
			</div>
			<ul className="flex flex-col gap-2">
				{transfers.map((transfer) => (
					<li key={transfer.id} className="text-sm" data-testid="transfer">
						<div className="flex items-center justify-between gap-3">
							<span className="truncate font-medium">
								<span className="sr-only">
									{transfer.direction === "upload" ? "Upload: " : "Download: "}
								</span>
								<span aria-hidden="true">{transfer.direction === "upload" ? "↑ " : "↓ "}</span>
								{transfer.name}
							</span>
							<span className="shrink-0 text-slate-600">{status(transfer)}</span>
							{transfer.state === "running" ? (
								<button type="button" className="text-red-800 underline" onClick={transfer.cancel}>
									Cancel<span className="sr-only"> {transfer.name}</span>
								</button>
							) : null}
						</div>
						<progress
							className="h-1.5 w-full"
							value={transfer.state === "done" ? 1 : transfer.done}
							max={transfer.state === "done" ? 1 : Math.max(transfer.total, 1)}
							aria-label={`${transfer.direction === "upload" ? "Upload" : "Download"} of ${transfer.name}`}
						/>
					</li>
				))}
			</ul>
		</section>
	);
}
