"use client";
// Looks people up by handle and shows the safety number to compare with them (in person or on a
// call). A key that changed since it was pinned is shown loudly and is not trusted until
// accepted; sharing refuses it meanwhile.
import { type FormEvent, useState } from "react";
import {
	acceptChangedIdentity,
	type CheckedIdentity,
	checkIdentity,
	listPinnedIdentities,
	markIdentityVerified,
} from "../../client/account/identity-pins";
import { Alert } from "../_components/alert";
import { api } from "../_components/api-client";
import { Button } from "../_components/button";
import { describeError } from "../_components/describe-error";
import { TextField } from "../_components/text-field";
import { useUnlockedAccount } from "../_components/use-account";
import { IdentityCard } from "./identity-card";

export function PeopleDirectory() {
	const account = useUnlockedAccount();
	const [handle, setHandle] = useState("");
	const [checked, setChecked] = useState<CheckedIdentity>();
	const [error, setError] = useState<string>();
	const [busy, setBusy] = useState(false);
	const [, refresh] = useState(0);

	if (!account) return null;
	const keys = account.keys;

	async function lookUp(event: FormEvent) {
		event.preventDefault();
		setBusy(true);
		setError(undefined);
		setChecked(undefined);
		try {
			setChecked(await checkIdentity(api, keys, handle));
		} catch (failure) {
			setError(describeError(failure));
		} finally {
			setBusy(false);
		}
	}

	function update(action: (c: CheckedIdentity) => void, status: CheckedIdentity["status"]) {
		if (!checked) return;
		action(checked);
		setChecked({ ...checked, status });
		refresh((n) => n + 1);
	}

	const pins = listPinnedIdentities(keys);
	return (
		<div className="flex max-w-3xl flex-col gap-6">
			<form
				onSubmit={lookUp}
				className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-6 sm:flex-row sm:items-end"
			>
				<TextField
					className="flex-1"
					label="Handle"
					value={handle}
					onChange={(event) => setHandle(event.target.value)}
					required
				/>
				<Button type="submit" busy={busy}>
					Look up
				</Button>
			</form>
			{error ? <Alert>{error}</Alert> : null}
			{checked ? (
				<IdentityCard checked={checked}>
					<div className="flex gap-3">
						{checked.status === "changed" ? (
							<Button
								variant="danger"
								onClick={() => update((c) => acceptChangedIdentity(keys, c), "pinned")}
							>
								Accept the new keys
							</Button>
						) : checked.status !== "verified" ? (
							<Button onClick={() => update((c) => markIdentityVerified(keys, c), "verified")}>
								Safety numbers match: mark as verified
							</Button>
						) : null}
					</div>
				</IdentityCard>
			) : null}
			<section aria-labelledby="pinned-title">
				<h2 id="pinned-title" className="text-lg font-semibold">
					People you have looked up
				</h2>
				{pins.length === 0 ? (
					<p className="mt-2 text-slate-600">
						Nobody yet. Look someone up by their handle to share with them.
					</p>
				) : (
					<ul className="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
						{pins.map((pin) => (
							<li key={pin.userId} className="flex justify-between px-4 py-2 text-sm">
								<span>
									{pin.displayName} <span className="text-slate-600">@{pin.handle}</span>
								</span>
								<span className={pin.verified ? "text-emerald-800" : "text-slate-600"}>
									{pin.verified ? "Verified" : "Not verified"}
								</span>
							</li>
						))}
					</ul>
				)}
			</section>
		</div>
	);
}
