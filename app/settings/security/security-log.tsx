"use client";
// The user's own security events, newest first, and whether the log's hash chain is intact.
import { useEffect, useState } from "react";
import { Alert } from "../../_components/alert";
import { api } from "../../_components/api-client";
import { describeError } from "../../_components/describe-error";

type Log = Awaited<ReturnType<typeof api.audit.list.query>>;

const LABELS: Record<string, string> = {
	"account.created": "Account created",
	"session.signed-in": "Signed in",
	"session.signed-out-everywhere": "Signed out on every device",
	"passkey.added": "Passkey added",
	"passkey.renamed": "Passkey renamed",
	"passkey.removed": "Passkey removed",
	"recovery.used": "Recovery kit used",
};

export function SecurityLog() {
	const [log, setLog] = useState<Log>();
	const [error, setError] = useState<string>();
	useEffect(() => {
		api.audit.list.query({}).then(setLog, (failure: unknown) => setError(describeError(failure)));
	}, []);
	if (error) return <Alert>{error}</Alert>;
	if (!log) return <p role="status">Loading the security log…</p>;
	return (
		<div className="flex max-w-3xl flex-col gap-4">
			{log.chainIntact ? (
				<Alert tone="success">The log is intact: no event was removed, reordered or changed.</Alert>
			) : (
				<Alert>
					The log does not verify: events were removed, reordered or changed on the server.
				</Alert>
			)}
			<ol className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
				{log.events.map((event) => (
					<li key={event.seq} className="flex justify-between gap-4 px-4 py-3 text-sm">
						<span>
							<span className="font-medium">{LABELS[event.kind] ?? event.kind}</span>
							{typeof event.details.passkey === "string" ? (
								<span className="text-slate-600"> · {event.details.passkey}</span>
							) : null}
						</span>
						<time dateTime={event.createdAt.toISOString()} className="text-slate-600">
							{new Intl.DateTimeFormat(undefined, {
								dateStyle: "medium",
								timeStyle: "short",
							}).format(event.createdAt)}
						</time>
					</li>
				))}
			</ol>
		</div>
	);
}
