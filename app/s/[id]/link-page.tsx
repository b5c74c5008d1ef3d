"use client";
// Opens a time-limited link in this tab: parses the address (a malformed one is refused before
// any request), asks the server for the link's state, asks for the password when there is one,
// opens the file's name and size through the proxies, and streams the decrypted file to disk
// with a progress bar. Expired, revoked, used-up, unknown and malformed links each get a clear
// page. The secret and the password never leave this tab.
import { type FormEvent, useEffect, useRef, useState } from "react";
import { apiErrorCode } from "../../../client/api";
import { type LinkAddress, parseLinkAddress } from "../../../client/sharing/link-url";
import {
	fetchLinkStatus,
	LINK_PROBLEM_MESSAGES,
	LinkError,
	type LinkProblem,
	type LinkStatus,
	type UnlockedLink,
	unlockLink,
} from "../../../client/sharing/links";
import type { VersionStream } from "../../../client/vault/download-file";
import { prepareDownloadWorker, saveDownload } from "../../../client/vault/save-download";
import { Alert } from "../../_components/alert";
import { api } from "../../_components/api-client";
import { Button } from "../../_components/button";
import { describeError } from "../../_components/describe-error";
import { formatBytes } from "../../_components/format-bytes";
import { TextField } from "../../_components/text-field";

type Ended = Exclude<LinkProblem, "wrong-password">;
type View =
	| { kind: "loading" }
	| { kind: "ended"; problem: Ended }
	| { kind: "password"; link: Extract<LinkStatus, { state: "active" }>["link"]; error?: string }
	| { kind: "ready"; file: UnlockedLink };

const ENDED_TITLES: Record<Ended, string> = {
	invalid: "This link is not valid",
	missing: "Link not found",
	expired: "This link has expired",
	revoked: "This link was revoked",
	exhausted: "Download limit reached",
	unavailable: "The file cannot be opened right now",
	tampered: "This file did not verify",
};

export function LinkPage({ linkId }: { linkId: string }) {
	const [view, setView] = useState<View>({ kind: "loading" });
	const [busy, setBusy] = useState(false);
	const address = useRef<LinkAddress | null>(null);
	const started = useRef(false);

	/** Shows why the link cannot open, asking the server again when it says the link ended. */
	async function fail(failure: unknown) {
		if (failure instanceof LinkError && failure.problem !== "wrong-password") {
			setView({ kind: "ended", problem: failure.problem });
			return;
		}
		if (apiErrorCode(failure) === "NOT_FOUND") {
			const status = await fetchLinkStatus(api, linkId).catch(() => null);
			setView({
				kind: "ended",
				problem: status && status.state !== "active" ? status.state : "missing",
			});
			return;
		}
		throw failure;
	}

	async function open(password?: string) {
		const parsed = address.current;
		if (!parsed) return;
		setBusy(true);
		try {
			const status = await fetchLinkStatus(api, parsed.linkId);
			if (status.state !== "active") {
				setView({ kind: "ended", problem: status.state });
			} else if (status.needsPassword && password === undefined) {
				setView({ kind: "password", link: status.link });
			} else {
				setView({ kind: "ready", file: await unlockLink(api, parsed, status.link, password) });
			}
		} catch (failure) {
			if (failure instanceof LinkError && failure.problem === "wrong-password") {
				setView((current) =>
					current.kind === "password" ? { ...current, error: failure.message } : current,
				);
			} else {
				// Anything else (the network, the server failing): say so, and that trying later may work.
				await fail(failure).catch(() => setView({ kind: "ended", problem: "unavailable" }));
			}
		} finally {
			setBusy(false);
		}
	}

	// biome-ignore lint/correctness/useExhaustiveDependencies: runs once, on arrival
	useEffect(() => {
		// Once per page: each opening of a link counts as one use.
		if (started.current) return;
		started.current = true;
		try {
			address.current = parseLinkAddress(linkId, window.location.hash);
		} catch {
			setView({ kind: "ended", problem: "invalid" });
			return;
		}
		void open();
	}, [linkId]);

	if (view.kind === "loading") return <p role="status">Opening the link…</p>;
	if (view.kind === "ended") {
		return (
			<section aria-labelledby="link-title" className="flex flex-col gap-4">
				<h1 id="link-title" className="text-2xl font-bold text-brand-900">
					{ENDED_TITLES[view.problem]}
				</h1>
				<p className="text-slate-700" data-testid="link-problem">
					{LINK_PROBLEM_MESSAGES[view.problem]}
				</p>
			</section>
		);
	}
	if (view.kind === "password") {
		return (
			<PasswordPrompt busy={busy} error={view.error} onSubmit={(password) => open(password)} />
		);
	}
	return <SharedFile file={view.file} />;
}

function PasswordPrompt({
	busy,
	error,
	onSubmit,
}: {
	busy: boolean;
	error?: string;
	onSubmit: (password: string) => Promise<void>;
}) {
	const [password, setPassword] = useState("");
	function submit(event: FormEvent) {
		event.preventDefault();
		if (password) void onSubmit(password);
	}
	return (
		<form onSubmit={submit} aria-labelledby="link-title" className="flex flex-col gap-4">
			<h1 id="link-title" className="text-2xl font-bold text-brand-900">
				This link needs a password
			</h1>
			<p className="text-slate-700">
				The person who shared this file protected the link with a password. It is checked in this
				browser and never sent anywhere.
			</p>
			<TextField
				label="Link password"
				type="password"
				autoComplete="off"
				value={password}
				onChange={(event) => setPassword(event.target.value)}
				error={error}
				required
				autoFocus
			/>
			<Button type="submit" busy={busy}>
				Open
			</Button>
		</form>
	);
}

function SharedFile({ file }: { file: UnlockedLink }) {
	const [progress, setProgress] = useState<{ done: number; total: number }>();
	const [state, setState] = useState<"idle" | "running" | "done">("idle");
	const [error, setError] = useState<string>();
	const prepared = useRef<Promise<VersionStream> | null>(null);

	// The download is readied while the page is read: the download worker registered, the
	// manifest checked and the first chunks fetched, so a click starts the file at once.
	useEffect(() => {
		void prepareDownloadWorker();
		const opening = file.download({ onProgress: setProgress });
		opening.catch(() => {});
		prepared.current = opening;
		return () => {
			if (prepared.current === opening) prepared.current = null;
			void opening.then(({ stream }) => stream.cancel()).catch(() => {});
		};
	}, [file]);

	async function download() {
		setError(undefined);
		setState("running");
		try {
			const fresh = () => file.download({ onProgress: setProgress });
			const ready = prepared.current;
			prepared.current = null;
			// A readied download that failed (a network blip) is tried again once, fresh.
			const opened = ready ? await ready.catch(fresh) : await fresh();
			await saveDownload(opened, file.name);
			setState("done");
		} catch (failure) {
			setError(describeError(failure));
			setState("idle");
		}
	}

	return (
		<section aria-labelledby="link-title" className="flex flex-col gap-4">
			<p className="text-sm text-slate-600">Shared with you through Coffre</p>
			<h1 id="link-title" className="break-all text-2xl font-bold text-brand-900">
				{file.name}
			</h1>
			<p className="text-slate-700" data-testid="link-file-size">
				{formatBytes(file.size)}
			</p>
			<Button onClick={() => void download()} busy={state === "running"}>
				Download
			</Button>
			{progress && state !== "idle" ? (
				<progress
					className="h-2 w-full"
					value={state === "done" ? 1 : progress.done}
					max={state === "done" ? 1 : Math.max(progress.total, 1)}
					aria-label={`Download of ${file.name}`}
				/>
			) : null}
			{state === "done" ? <Alert tone="success">Downloaded and verified.</Alert> : null}
			{error ? <Alert>{error}</Alert> : null}
			<p className="text-sm text-slate-600">
				The file is decrypted in this browser; Coffre&apos;s servers never see it, its name or the
				link&apos;s secret. What you download is yours to keep.
			</p>
		</section>
	);
}
