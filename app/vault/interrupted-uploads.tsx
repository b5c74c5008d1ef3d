"use client";
// Uploads that stopped before they finished (a closed tab, a lost connection): each can be
// resumed by picking the same file again — only what is missing is sent — or discarded.
import { useRef } from "react";
import type { PendingUpload } from "../../client/vault/upload-file";
import { Alert } from "../_components/alert";
import { Button } from "../_components/button";
import { formatBytes } from "../_components/format-bytes";

export function InterruptedUploads({
	uploads,
	unverifiable,
	onResume,
	onDiscard,
}: {
	uploads: PendingUpload[];
	unverifiable: number;
	onResume: (upload: PendingUpload, file: File) => void;
	onDiscard: (upload: PendingUpload) => void;
}) {
	const picker = useRef<HTMLInputElement>(null);
	const resuming = useRef<PendingUpload | undefined>(undefined);
	if (uploads.length === 0 && unverifiable === 0) return null;
	return (
		<section
			aria-label="Interrupted uploads"
			className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm"
		>
			<h2 className="font-semibold">Interrupted uploads</h2>
			<p className="text-slate-700">
				These uploads stopped before they finished. Pick the same file again to continue where it
				stopped, or discard them. Until then each counts its full size against your storage.
			</p>
			{unverifiable > 0 ? (
				<Alert>
					{unverifiable} interrupted upload(s) could not be verified: the server returned data that
					does not match your keys.
				</Alert>
			) : null}
			<ul className="flex flex-col gap-2">
				{uploads.map((upload) => {
					const sent = Math.min(upload.size, upload.chunksStored * upload.chunkSize);
					return (
						<li
							key={upload.versionId}
							className="flex flex-wrap items-center justify-between gap-2"
							data-testid="interrupted-upload"
						>
							<span>
								<span className="font-medium">{upload.name}</span>{" "}
								<span className="text-slate-600">
									{upload.newFile ? "" : "(new version) "}
									{formatBytes(sent)} of {formatBytes(upload.size)} sent
								</span>
							</span>
							<span className="flex flex-wrap gap-2 [&_button]:px-3 [&_button]:py-1 [&_button]:text-sm">
								<Button
									onClick={() => {
										resuming.current = upload;
										picker.current?.click();
									}}
								>
									Resume<span className="sr-only"> {upload.name}</span>
								</Button>
								<Button variant="secondary" onClick={() => onDiscard(upload)}>
									Discard<span className="sr-only"> {upload.name}</span>
								</Button>
							</span>
						</li>
					);
				})}
			</ul>
			<input
				ref={picker}
				type="file"
				className="sr-only"
				aria-label="File to resume uploading"
				tabIndex={-1}
				onChange={(event) => {
					const file = event.target.files?.[0];
					event.target.value = "";
					if (file && resuming.current) onResume(resuming.current, file);
				}}
			/>
		</section>
	);
}
