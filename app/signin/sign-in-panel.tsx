"use client";
// Discoverable-credential sign-in. The button runs the passkey ceremony (PRF evaluated in it)
// and unlocks the vault in this tab. Where the browser supports conditional UI, focusing the
// handle field offers the passkeys in its autofill list; no handle is needed otherwise.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { signIn } from "../../client/account/flows";
import {
	cancelPendingCeremony,
	supportsPasskeyAutofill,
} from "../../client/account/passkey-ceremonies";
import { Alert } from "../_components/alert";
import { api } from "../_components/api-client";
import { AuthCard } from "../_components/auth-card";
import { Button } from "../_components/button";
import { describeError } from "../_components/describe-error";
import { TextField } from "../_components/text-field";
import { usePassphrasePrompt } from "../_components/use-passphrase-prompt";

export function SignInPanel() {
	const router = useRouter();
	const passphrase = usePassphrasePrompt();
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string>();

	const [autofill, setAutofill] = useState(false);
	const autofillStarted = useRef(false);

	useEffect(() => {
		supportsPasskeyAutofill().then(setAutofill, () => setAutofill(false));
		return () => cancelPendingCeremony();
	}, []);

	/** Starts the conditional (autofill) ceremony once the person shows intent by focusing the field. */
	function offerPasskeysInAutofill() {
		if (!autofill || autofillStarted.current) return;
		autofillStarted.current = true;
		signIn(api, { askPassphrase: passphrase.ask, autofill: true }).then(
			() => router.push("/vault"),
			() => {
				// Dismissed, or replaced by the button's ceremony: nothing to report.
				autofillStarted.current = false;
			},
		);
	}

	async function start() {
		setBusy(true);
		setError(undefined);
		try {
			await signIn(api, { askPassphrase: passphrase.ask });
			router.push("/vault");
		} catch (failure) {
			setError(describeError(failure));
		} finally {
			setBusy(false);
		}
	}

	return (
		<AuthCard
			title="Sign in to Coffre"
			intro={<p>Use the passkey you created for Coffre. Your vault unlocks in this browser.</p>}
		>
			<div className="flex flex-col gap-4">
				{autofill ? (
					<TextField
						label="Handle (optional)"
						hint="Focus this field to pick a passkey from your browser's suggestions."
						autoComplete="username webauthn"
						onFocus={offerPasskeysInAutofill}
					/>
				) : null}
				{error ? <Alert>{error}</Alert> : null}
				<Button onClick={start} busy={busy}>
					{busy ? "Waiting for your passkey…" : "Sign in with a passkey"}
				</Button>
			</div>
			<div className="mt-6 flex flex-col gap-2 text-sm text-slate-700">
				<p>
					New to Coffre?{" "}
					<Link href="/signup" className="font-semibold text-brand-700 underline">
						Create your vault
					</Link>
				</p>
				<p>
					Lost your passkeys?{" "}
					<Link href="/recover" className="font-semibold text-brand-700 underline">
						Recover with your recovery kit
					</Link>
				</p>
			</div>
			{passphrase.dialog}
		</AuthCard>
	);
}
