"use client";
// Upload progress: one row per file (bytes, speed, time left, cancel) and an overall bar.
// Progress bars are real <progress> elements, so screen readers announce them.

export interface Transfer {
	id: string;
	name: string;
	done: number;
	total: number;
	startedAt: number;
	state: "running" | "done" | "failed" | "cancelled";
	error?: string;
	cancel: () => void;
}

const formatBytes = (bytes: number) => {
	const units = ["B", "KB", "MB", "GB", "TB"];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return `${value.toFixed(value < 10 && unit > 0 ? 1 : 0)} ${units[unit]}`;
};

function rate(transfer: Transfer): string {
	const seconds = (Date.now() - transfer.startedAt) / 1000;
	if (transfer.state !== "running" || seconds < 0.5 || transfer.done === 0) return "";
	const perSecond = transfer.done / seconds;
	const remaining = Math.ceil((transfer.total - transfer.done) / perSecond);
	return ` · ${formatBytes(perSecond)}/s · ${remaining < 60 ? `${remaining} s` : `${Math.ceil(remaining / 60)} min`} left`;
}

export function Transfers({ transfers }: { transfers: Transfer[] }) {
	if (transfers.length === 0) return null;
	const total = transfers.reduce((sum, transfer) => sum + Math.max(transfer.total, 1), 0);
	const done = transfers.reduce(
		(sum, transfer) =>
			sum + (transfer.state === "done" ? Math.max(transfer.total, 1) : transfer.done),
		0,
	);
	return (
		<section
			aria-label="Uploads"
			className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
		>
			<div>
				<div className="flex justify-between text-sm">
					<span className="font-semibold">Uploads</span>
					<span>
						{formatBytes(done)} of {formatBytes(total)}
					</span>
				</div>
				<progress className="mt-1 h-2 w-full" value={done} max={total} aria-label="All uploads" />
			</div>
			<ul className="flex flex-col gap-2">
				{transfers.map((transfer) => (
					<li key={transfer.id} className="text-sm" data-testid="transfer">
						<div className="flex items-center justify-between gap-3">
							<span className="truncate font-medium">{transfer.name}</span>
							<span className="shrink-0 text-slate-600">
								{transfer.state === "done"
									? "Uploaded"
									: transfer.state === "failed"
										? `Failed: ${transfer.error ?? ""}`
										: transfer.state === "cancelled"
											? "Cancelled"
											: `${formatBytes(transfer.done)} of ${formatBytes(transfer.total)}${rate(transfer)}`}
							</span>
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
							aria-label={`Upload of ${transfer.name}`}
						/>
					</li>
				))}
			</ul>
		</section>
	);
}
