"use client";
// Lists a file's versions (newest first, each with its size and when it was saved) and downloads
// any of them.
import { useEffect, useRef, useState } from "react";
import type { FileVersionInfo } from "../../client/vault/download-file";
import type { VaultItem } from "../../client/vault/folder-tree";
import { api } from "../_components/api-client";
import { Button } from "../_components/button";
import { describeError } from "../_components/describe-error";
import { formatBytes } from "../_components/format-bytes";

const formatDate = (date: Date) =>
	new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);

export function VersionsDialog({
	item,
	onDownload,
	onClose,
}: {
	item: VaultItem;
	onDownload: (version: FileVersionInfo) => void;
	onClose: () => void;
}) {
	const dialog = useRef<HTMLDialogElement>(null);
	const [versions, setVersions] = useState<FileVersionInfo[]>();
	const [error, setError] = useState<string>();
	useEffect(() => {
		dialog.current?.showModal();
		api.files.versions
			.query({ fileId: item.id })
			.then(setVersions, (failure: unknown) => setError(describeError(failure)));
	}, [item.id]);
	return (
		<dialog
			ref={dialog}
			aria-labelledby="versions-title"
			onCancel={onClose}
			className="m-auto w-full max-w-md rounded-xl p-0 shadow-xl backdrop:bg-ink/50"
		>
			<div className="flex flex-col gap-4 p-6">
				<h2 id="versions-title" className="text-xl font-semibold text-brand-900">
					Versions of “{item.name}”
				</h2>
				{error ? (
					<p role="alert" className="text-sm text-red-800">
						{error}
					</p>
				) : null}
				{versions === undefined ? (
					<p role="status">Loading versions…</p>
				) : (
					<ol className="flex flex-col gap-2">
						{versions.map((version, index) => (
							<li key={version.id} className="flex items-center justify-between gap-3 text-sm">
								<span className="flex flex-col">
									<span className="font-medium">
										Version {version.seq}
										{index === 0 ? " (current)" : ""}
									</span>
									<span className="text-slate-600">
										{formatBytes(version.size)} ·{" "}
										<time dateTime={version.committedAt.toISOString()}>
											{formatDate(version.committedAt)}
										</time>
									</span>
								</span>
								<Button variant="secondary" onClick={() => onDownload(version)}>
									Download<span className="sr-only"> version {version.seq}</span>
								</Button>
							</li>
						))}
					</ol>
				)}
				<div className="flex justify-end">
					<Button variant="secondary" onClick={onClose}>
						Close
					</Button>
				</div>
			</div>
		</dialog>
	);
}
