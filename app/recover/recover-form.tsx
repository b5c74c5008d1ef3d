"use client";
// Recovery: the handle and the 24 kit words open the account key in this browser; a new passkey
// is created and wraps it. The words are never sent to the server.
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { recoverAccount } from "../../client/account/flows";
import { Alert } from "../_components/alert";
import { api } from "../_components/api-client";
import { AuthCard } from "../_components/auth-card";
import { Button } from "../_components/button";
import { describeError } from "../_components/describe-error";
import { TextField } from "../_components/text-field";
import { usePassphrasePrompt } from "../_components/use-passphrase-prompt";

export function RecoverForm() {
	const router = useRouter();
	const passphrase = usePassphrasePrompt();
	const [handle, setHandle] = useState("");
	const [words, setWords] = useState("");
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string>();

	async function submit(event: FormEvent) {
		event.preventDefault();
		setBusy(true);
		setError(undefined);
		try {
			await recoverAccount(api, {
				handle,
				words,
				passkeyName: "Recovered passkey",
				askPassphrase: passphrase.ask,
			});
			router.push("/vault");
		} catch (failure) {
			setError(describeError(failure));
		} finally {
			setBusy(false);
		}
	}

	return (
		<AuthCard
			title="Recover your account"
			intro={
				<p>
					Enter your handle and the 24 words of your recovery kit. You will then create a new
					passkey.
				</p>
			}
		>
			<form onSubmit={submit} className="flex flex-col gap-4">
				<TextField
					label="Handle"
					value={handle}
					onChange={(event) => setHandle(event.target.value)}
					autoComplete="username"
					required
				/>
				<div className="flex flex-col gap-1">
					<label htmlFor="recovery-words" className="text-sm font-medium text-slate-800">
						Recovery words
					</label>
					<textarea
						id="recovery-words"
						value={words}
						onChange={(event) => setWords(event.target.value)}
						rows={4}
						autoComplete="off"
						spellCheck={false}
						required
						className="rounded-md border border-slate-300 px-3 py-2 font-mono text-sm shadow-sm"
					/>
				</div>
				{error ? <Alert>{error}</Alert> : null}
				<Button type="submit" busy={busy}>
					{busy ? "Recovering…" : "Recover and create a passkey"}
				</Button>
			</form>
			{passphrase.dialog}
		</AuthCard>
	);
}
