"use client";
// Frame of the signed-in pages: sends signed-out visitors to sign-in, offers to unlock a locked
// tab, and shows the account navigation with "Lock now" and "Sign out".
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";
import { signIn } from "../../client/account/flows";
import { lockAccount } from "../../client/account/unlocked-account";
import { Alert } from "./alert";
import { api } from "./api-client";
import { Button } from "./button";
import { describeError } from "./describe-error";
import { useSessionUser, useUnlockedAccount } from "./use-account";
import { usePassphrasePrompt } from "./use-passphrase-prompt";

const LINKS = [
	{ href: "/vault", label: "Vault" },
	{ href: "/shared", label: "Shared" },
	{ href: "/shared-with-me", label: "Shared with me" },
	{ href: "/account", label: "Account" },
	{ href: "/people", label: "People" },
	{ href: "/settings/passkeys", label: "Passkeys" },
	{ href: "/settings/security", label: "Security log" },
];

export function AccountShell({ title, children }: { title: string; children: ReactNode }) {
	const router = useRouter();
	const pathname = usePathname();
	const { user } = useSessionUser();
	const unlocked = useUnlockedAccount();
	const passphrase = usePassphrasePrompt();
	const [error, setError] = useState<string>();
	const [busy, setBusy] = useState(false);

	useEffect(() => {
		if (user === null) router.replace("/signin");
	}, [user, router]);

	async function unlock() {
		setBusy(true);
		setError(undefined);
		try {
			await signIn(api, { askPassphrase: passphrase.ask });
		} catch (failure) {
			setError(describeError(failure));
		} finally {
			setBusy(false);
		}
	}

	async function signOut(everywhere = false) {
		if (everywhere && !window.confirm("Sign out on every device, including this one?")) return;
		lockAccount();
		await (everywhere ? api.auth.signOutEverywhere.mutate() : api.auth.signOut.mutate()).catch(
			() => {},
		);
		router.push("/signin");
	}

	if (!user) {
		return (
			<p role="status" className="mx-auto max-w-6xl px-6 py-12 text-slate-700">
				Loading your account…
			</p>
		);
	}

	return (
		<div className="mx-auto flex max-w-6xl flex-col gap-8 px-6 py-10 md:flex-row">
			<nav aria-label="Account" className="md:w-48">
				<ul className="flex flex-wrap gap-x-4 gap-y-1 md:flex-col md:gap-2">
					{LINKS.map((link) => (
						<li key={link.href}>
							<Link
								href={link.href}
								aria-current={pathname === link.href ? "page" : undefined}
								className={`block rounded px-2 py-1 ${pathname === link.href ? "bg-brand-50 font-semibold text-brand-900" : "text-slate-700 hover:text-brand-700"}`}
							>
								{link.label}
							</Link>
						</li>
					))}
				</ul>
				<div className="mt-6 flex gap-2 md:flex-col">
					{unlocked ? (
						<Button variant="secondary" onClick={lockAccount}>
							Lock now
						</Button>
					) : null}
					<Button variant="secondary" onClick={() => signOut()}>
						Sign out
					</Button>
					<Button variant="secondary" onClick={() => signOut(true)}>
						Sign out everywhere
					</Button>
				</div>
			</nav>
			<section aria-labelledby="page-title" className="flex-1">
				<h1 id="page-title" className="text-2xl font-bold text-brand-900">
					{title}
				</h1>
				<p className="mt-1 text-sm text-slate-600">
					Signed in as <span className="font-semibold">{user.displayName}</span> (@{user.handle}) ·{" "}
					<span data-testid="lock-state">
						{unlocked ? "Vault unlocked in this tab" : "Vault locked"}
					</span>
				</p>
				{unlocked ? (
					<div className="mt-6">{children}</div>
				) : (
					<div className="mt-6 flex max-w-md flex-col gap-4 rounded-lg border border-slate-200 bg-white p-6">
						<p className="text-slate-700">
							Your keys are not in this tab&apos;s memory (they never are after a reload or “Lock
							now”). Use your passkey to unlock.
						</p>
						{error ? <Alert>{error}</Alert> : null}
						<Button onClick={unlock} busy={busy}>
							Unlock with passkey
						</Button>
					</div>
				)}
			</section>
			{passphrase.dialog}
		</div>
	);
}
