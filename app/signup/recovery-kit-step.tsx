"use client";
// Shows the recovery kit once: 24 words, a PDF to download or print, and a confirmation the user
// must give before continuing. The words exist only in this tab.
import { useState } from "react";
import { recoveryKitPdf } from "../../client/account/recovery-kit-pdf";
import { Alert } from "../_components/alert";
import { AuthCard } from "../_components/auth-card";
import { Button } from "../_components/button";

export function RecoveryKitStep({
	handle,
	words,
	onDone,
}: {
	handle: string;
	words: string[];
	onDone: () => void;
}) {
	const [saved, setSaved] = useState(false);
	const [downloading, setDownloading] = useState(false);

	async function download() {
		setDownloading(true);
		try {
			const blob = await recoveryKitPdf({ handle, words, createdAt: new Date() });
			const url = URL.createObjectURL(blob);
			const link = document.createElement("a");
			link.href = url;
			link.download = `coffre-recovery-kit-${handle}.pdf`;
			link.click();
			setTimeout(() => URL.revokeObjectURL(url), 10_000);
		} finally {
			setDownloading(false);
		}
	}

	return (
		<AuthCard
			title="Save your recovery kit"
			intro={
				<p>
					If you lose every passkey, these 24 words are the only way back into your vault. Coffre
					cannot reset them for you. Write them down or download the kit, and keep it private.
				</p>
			}
		>
			<ol
				aria-label="Recovery words"
				className="grid grid-cols-2 gap-x-6 gap-y-2 rounded-lg bg-slate-50 p-4 font-mono text-sm sm:grid-cols-3"
			>
				{words.map((word, index) => (
					// biome-ignore lint/suspicious/noArrayIndexKey: a fixed list in which a word may repeat
					<li key={index} className="flex gap-2">
						<span className="w-6 text-right text-slate-500">{index + 1}.</span>
						<span data-testid="recovery-word">{word}</span>
					</li>
				))}
			</ol>
			<div className="mt-4 flex flex-wrap gap-3">
				<Button variant="secondary" onClick={download} busy={downloading}>
					Download PDF
				</Button>
			</div>
			<div className="mt-6">
				<Alert tone="notice">You will not see these words again.</Alert>
			</div>
			<label className="mt-4 flex items-start gap-3 text-sm text-slate-800">
				<input
					type="checkbox"
					checked={saved}
					onChange={(event) => setSaved(event.target.checked)}
					className="mt-1 h-4 w-4"
				/>
				I have saved my recovery kit somewhere safe.
			</label>
			<Button className="mt-6 w-full" disabled={!saved} onClick={onDone}>
				Continue to my vault
			</Button>
		</AuthCard>
	);
}
