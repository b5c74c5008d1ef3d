"use client";
// Sign-up in two steps: choose a handle and create a passkey (keys are made in this browser),
// then save the recovery kit — the user must confirm it before entering the vault.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { signUp } from "../../client/account/flows";
import { Alert } from "../_components/alert";
import { api } from "../_components/api-client";
import { AuthCard } from "../_components/auth-card";
import { Button } from "../_components/button";
import { describeError } from "../_components/describe-error";
import { TextField } from "../_components/text-field";
import { usePassphrasePrompt } from "../_components/use-passphrase-prompt";
import { RecoveryKitStep } from "./recovery-kit-step";

export function SignUpWizard() {
	const router = useRouter();
	const passphrase = usePassphrasePrompt();
	const [handle, setHandle] = useState("");
	const [displayName, setDisplayName] = useState("");
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string>();
	const [kit, setKit] = useState<{ handle: string; words: string[] }>();

	async function submit(event: FormEvent) {
		event.preventDefault();
		setBusy(true);
		setError(undefined);
		try {
			const result = await signUp(api, {
				handle,
				displayName,
				passkeyName: defaultPasskeyName(),
				askPassphrase: passphrase.ask,
			});
			setKit({ handle: result.account.user.handle, words: result.recoveryWords });
		} catch (failure) {
			setError(describeError(failure));
		} finally {
			setBusy(false);
		}
	}

	if (kit) {
		return (
			<RecoveryKitStep handle={kit.handle} words={kit.words} onDone={() => router.push("/vault")} />
		);
	}

	return (
		<AuthCard
			title="Create your vault"
			intro={
				<p>
					Coffre uses a passkey instead of a password. Your keys are created in this browser and
					never leave it unencrypted.
				</p>
			}
		>
			<form onSubmit={submit} className="flex flex-col gap-4">
				<TextField
					label="Handle"
					hint="How people find you to share files. Letters, digits, dot, dash, underscore."
					value={handle}
					onChange={(event) => setHandle(event.target.value)}
					autoComplete="username webauthn"
					minLength={3}
					maxLength={32}
					pattern="[A-Za-z][A-Za-z0-9._\-]*"
					required
				/>
				<TextField
					label="Your name"
					value={displayName}
					onChange={(event) => setDisplayName(event.target.value)}
					autoComplete="name"
					maxLength={64}
					required
				/>
				{error ? <Alert>{error}</Alert> : null}
				<Button type="submit" busy={busy}>
					{busy ? "Creating your passkey…" : "Create passkey and vault"}
				</Button>
			</form>
			<p className="mt-6 text-sm text-slate-700">
				Already have an account?{" "}
				<Link href="/signin" className="font-semibold text-brand-700 underline">
					Sign in
				</Link>
			</p>
			{passphrase.dialog}
		</AuthCard>
	);
}

/** A readable default name for the first passkey, e.g. "Chrome on Linux". */
function defaultPasskeyName(): string {
	const agent = navigator.userAgent;
	const browser = /Firefox\//.test(agent)
		? "Firefox"
		: /Edg\//.test(agent)
			? "Edge"
			: /Chrome\//.test(agent)
				? "Chrome"
				: /Safari\//.test(agent)
					? "Safari"
					: "Browser";
	const system = /Windows/.test(agent)
		? "Windows"
		: /Mac OS X/.test(agent)
			? "macOS"
			: /Android/.test(agent)
				? "Android"
				: /iPhone|iPad/.test(agent)
					? "iOS"
					: /Linux/.test(agent)
						? "Linux"
						: "this device";
	return `${browser} on ${system}`;
}
