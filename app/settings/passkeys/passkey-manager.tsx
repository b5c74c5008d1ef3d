"use client";
// Lists the account's passkeys (name, created, last used), adds another (it gets its own wrap of
// the account key), renames and removes them. The last passkey cannot be removed.
import { useCallback, useEffect, useRef, useState } from "react";
import { addPasskey } from "../../../client/account/flows";
import { Alert } from "../../_components/alert";
import { api } from "../../_components/api-client";
import { Button } from "../../_components/button";
import { ColumnHeader } from "../../_components/column-header";
import { describeError } from "../../_components/describe-error";
import { TextField } from "../../_components/text-field";
import { useUnlockedAccount } from "../../_components/use-account";
import { usePassphrasePrompt } from "../../_components/use-passphrase-prompt";

type Passkey = Awaited<ReturnType<typeof api.passkeys.list.query>>[number];

const formatDate = (date: Date | null) =>
	date
		? new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date)
		: "Never";

export function PasskeyManager() {
	const account = useUnlockedAccount();
	const passphrase = usePassphrasePrompt();
	const [passkeys, setPasskeys] = useState<Passkey[]>();
	const [error, setError] = useState<string>();
	const [notice, setNotice] = useState<string>();
	const [newName, setNewName] = useState("");
	const [busy, setBusy] = useState<string>();
	const [renaming, setRenaming] = useState<{ id: string; name: string }>();

	const latestLoad = useRef(0);
	/** Reloads the list; a response older than the latest request is ignored. */
	const load = useCallback(async () => {
		const request = ++latestLoad.current;
		try {
			const list = await api.passkeys.list.query();
			if (request === latestLoad.current) setPasskeys(list);
		} catch (failure) {
			if (request === latestLoad.current) setError(describeError(failure));
		}
	}, []);
	useEffect(() => {
		void load();
	}, [load]);

	async function run(label: string, action: () => Promise<unknown>, done: string) {
		setBusy(label);
		setError(undefined);
		setNotice(undefined);
		try {
			await action();
			await load();
			setNotice(done);
		} catch (failure) {
			setError(describeError(failure));
		} finally {
			setBusy(undefined);
		}
	}

	if (!account) return null;
	return (
		<div className="flex max-w-3xl flex-col gap-6">
			{error ? <Alert>{error}</Alert> : null}
			{notice ? <Alert tone="success">{notice}</Alert> : null}
			{passkeys === undefined ? (
				<p role="status">Loading passkeys…</p>
			) : (
				<table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
					<caption className="sr-only">Your passkeys</caption>
					<thead className="bg-slate-50 text-slate-700">
						<tr>
							<ColumnHeader>Name</ColumnHeader>
							<ColumnHeader>Created</ColumnHeader>
							<ColumnHeader>Last used</ColumnHeader>
							<ColumnHeader>Unlocks with</ColumnHeader>
							<ColumnHeader>
								<span className="sr-only">Actions</span>
							</ColumnHeader>
						</tr>
					</thead>
					<tbody>
						{passkeys.map((passkey) => (
							<tr key={passkey.id} className="border-t border-slate-200">
								<td className="px-4 py-2 font-medium">
									{renaming?.id === passkey.id ? (
										<form
											className="flex gap-2"
											onSubmit={(event) => {
												event.preventDefault();
												void run(
													"rename",
													() => api.passkeys.rename.mutate(renaming),
													"Passkey renamed.",
												).then(() => setRenaming(undefined));
											}}
										>
											<label className="sr-only" htmlFor={`rename-${passkey.id}`}>
												New name
											</label>
											<input
												id={`rename-${passkey.id}`}
												value={renaming.name}
												onChange={(event) =>
													setRenaming({ id: passkey.id, name: event.target.value })
												}
												maxLength={64}
												required
												className="rounded border border-slate-300 px-2 py-1"
											/>
											<Button type="submit" busy={busy === "rename"}>
												Save
											</Button>
										</form>
									) : (
										passkey.name
									)}
								</td>
								<td className="px-4 py-2">{formatDate(passkey.createdAt)}</td>
								<td className="px-4 py-2">{formatDate(passkey.lastUsedAt)}</td>
								<td className="px-4 py-2">
									{passkey.unlocksWith === "prf" ? "Passkey (PRF)" : "Vault passphrase"}
								</td>
								<td className="px-4 py-2">
									<div className="flex justify-end gap-2">
										<Button
											variant="secondary"
											onClick={() => setRenaming({ id: passkey.id, name: passkey.name })}
										>
											Rename<span className="sr-only"> {passkey.name}</span>
										</Button>
										<Button
											variant="danger"
											disabled={passkeys.length === 1}
											title={
												passkeys.length === 1
													? "Add another passkey before removing this one."
													: undefined
											}
											busy={busy === `remove-${passkey.id}`}
											onClick={() => {
												if (
													window.confirm(
														`Remove the passkey “${passkey.name}”? It will no longer open your vault.`,
													)
												) {
													void run(
														`remove-${passkey.id}`,
														() => api.passkeys.remove.mutate({ id: passkey.id }),
														"Passkey removed.",
													);
												}
											}}
										>
											Remove<span className="sr-only"> {passkey.name}</span>
										</Button>
									</div>
								</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			<form
				className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-6"
				onSubmit={(event) => {
					event.preventDefault();
					void run(
						"add",
						() =>
							addPasskey(api, account, {
								name: newName.trim() || "Another passkey",
								askPassphrase: passphrase.ask,
							}),
						"Passkey added. It can now sign you in and unlock your vault.",
					).then(() => setNewName(""));
				}}
			>
				<h2 className="text-lg font-semibold">Add a passkey</h2>
				<p className="text-sm text-slate-700">
					Add a passkey on another device or security key, so losing one never locks you out.
				</p>
				<TextField
					label="Name for the new passkey"
					value={newName}
					onChange={(event) => setNewName(event.target.value)}
					maxLength={64}
					placeholder="e.g. Phone"
				/>
				<Button type="submit" busy={busy === "add"}>
					Add passkey
				</Button>
			</form>
			{passphrase.dialog}
		</div>
	);
}
