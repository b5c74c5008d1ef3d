"use client";
// Asks for the vault passphrase when a passkey has no PRF extension, explaining why. For a new
// passphrase it asks twice and requires a reasonable length; the passphrase never leaves the tab.
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Button } from "./button";
import { TextField } from "./text-field";

export const MIN_PASSPHRASE_LENGTH = 12;

export function PassphraseDialog({
	purpose,
	onSubmit,
	onCancel,
}: {
	purpose: "create" | "unlock";
	onSubmit: (passphrase: string) => void;
	onCancel: () => void;
}) {
	const dialog = useRef<HTMLDialogElement>(null);
	const [passphrase, setPassphrase] = useState("");
	const [confirmation, setConfirmation] = useState("");
	const [error, setError] = useState<string>();

	useEffect(() => {
		dialog.current?.showModal();
	}, []);

	function submit(event: FormEvent) {
		event.preventDefault();
		if (purpose === "create" && passphrase.length < MIN_PASSPHRASE_LENGTH) {
			setError(
				`Use at least ${MIN_PASSPHRASE_LENGTH} characters; a few words are easy to remember.`,
			);
			return;
		}
		if (purpose === "create" && passphrase !== confirmation) {
			setError("The two passphrases differ.");
			return;
		}
		onSubmit(passphrase);
	}

	return (
		<dialog
			ref={dialog}
			aria-labelledby="passphrase-title"
			onCancel={onCancel}
			className="m-auto max-w-md rounded-xl p-0 shadow-xl backdrop:bg-ink/50"
		>
			<form onSubmit={submit} className="flex flex-col gap-4 p-6">
				<h2 id="passphrase-title" className="text-xl font-semibold text-brand-900">
					{purpose === "create" ? "Choose a vault passphrase" : "Enter your vault passphrase"}
				</h2>
				<p className="text-sm text-slate-700">
					This passkey cannot derive an encryption key by itself (it lacks the PRF extension), so a
					passphrase protects your vault key on it. It is stretched with Argon2id in this browser
					and never sent anywhere.
				</p>
				<TextField
					label="Vault passphrase"
					type="password"
					autoComplete={purpose === "create" ? "new-password" : "current-password"}
					value={passphrase}
					onChange={(event) => setPassphrase(event.target.value)}
					required
					autoFocus
				/>
				{purpose === "create" ? (
					<TextField
						label="Repeat the passphrase"
						type="password"
						autoComplete="new-password"
						value={confirmation}
						onChange={(event) => setConfirmation(event.target.value)}
						required
					/>
				) : null}
				{error ? (
					<p role="alert" className="text-sm text-red-800">
						{error}
					</p>
				) : null}
				<div className="flex justify-end gap-3">
					<Button variant="secondary" onClick={onCancel}>
						Cancel
					</Button>
					<Button type="submit">Continue</Button>
				</div>
			</form>
		</dialog>
	);
}
