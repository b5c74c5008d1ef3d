"use client";
// Shares one file or folder with another Coffre user: find them by handle, compare the safety
// number (a key that changed since it was pinned is refused until accepted), viewer access, an
// optional last day. Says plainly what a share cannot do: take back what was downloaded, or
// stop proxies that collude.
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import {
	acceptChangedIdentity,
	type CheckedIdentity,
	checkIdentity,
	markIdentityVerified,
} from "../../client/account/identity-pins";
import { SHARE_PROXIES, SHARE_THRESHOLD } from "../../client/sharing/share-core";
import {
	OPEN_ENDED_SHARE_DAYS,
	ShareWithSelfError,
	shareExpiry,
	shareWithPerson,
} from "../../client/sharing/share-with-person";
import type { VaultItem } from "../../client/vault/folder-tree";
import { Alert } from "../_components/alert";
import { api } from "../_components/api-client";
import { Button } from "../_components/button";
import { describeError } from "../_components/describe-error";
import { TextField } from "../_components/text-field";
import { useUnlockedAccount } from "../_components/use-account";
import { IdentityCard } from "../people/identity-card";

const formatDay = (time: number) =>
	new Intl.DateTimeFormat(undefined, { dateStyle: "long" }).format(new Date(time));

/** Today as a date input's "YYYY-MM-DD", in this browser's time zone. */
function today(): string {
	const now = new Date();
	const pad = (n: number) => String(n).padStart(2, "0");
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function ShareDialog({ item, onClose }: { item: VaultItem; onClose: () => void }) {
	const account = useUnlockedAccount();
	const dialog = useRef<HTMLDialogElement>(null);
	const ids = useId();
	const [handle, setHandle] = useState("");
	const [recipient, setRecipient] = useState<CheckedIdentity>();
	// A person seen for the first time (or whose new keys were just accepted) is shared with only
	// after the owner says they compared the safety number.
	const [mustConfirm, setMustConfirm] = useState(false);
	const [confirmed, setConfirmed] = useState(false);
	const [lastDay, setLastDay] = useState("");
	const [busy, setBusy] = useState<"look-up" | "share">();
	const [error, setError] = useState<string>();
	const [done, setDone] = useState<string>();

	useEffect(() => {
		dialog.current?.showModal();
	}, []);

	if (!account) return null;
	const keys = account.keys;

	async function lookUp(event: FormEvent) {
		event.preventDefault();
		setBusy("look-up");
		setError(undefined);
		setDone(undefined);
		setRecipient(undefined);
		setConfirmed(false);
		try {
			const checked = await checkIdentity(api, keys, handle.trim());
			if (checked.userId === keys.userId) throw new ShareWithSelfError();
			setRecipient(checked);
			setMustConfirm(checked.status === "new");
		} catch (failure) {
			setError(describeError(failure));
		} finally {
			setBusy(undefined);
		}
	}

	function acceptNewKeys() {
		if (!recipient) return;
		acceptChangedIdentity(keys, recipient);
		setRecipient({ ...recipient, status: "pinned" });
		setMustConfirm(true);
		setConfirmed(false);
	}

	async function share(event: FormEvent) {
		event.preventDefault();
		if (!recipient || !account) return;
		setBusy("share");
		setError(undefined);
		try {
			const expiresAt = shareExpiry(lastDay || undefined);
			await shareWithPerson(api, account, { item, recipient, expiresAt });
			if (confirmed && recipient.status !== "verified") {
				markIdentityVerified(keys, recipient);
				setRecipient({ ...recipient, status: "verified" });
			}
			setDone(
				`“${item.name}” is shared with ${recipient.displayName} (@${recipient.handle}) as a viewer until ${formatDay(expiresAt)}.`,
			);
		} catch (failure) {
			setError(describeError(failure));
		} finally {
			setBusy(undefined);
		}
	}

	const canShare =
		recipient !== undefined && recipient.status !== "changed" && (!mustConfirm || confirmed);

	return (
		<dialog
			ref={dialog}
			aria-labelledby={`${ids}-title`}
			onCancel={onClose}
			className="m-auto w-full max-w-lg rounded-xl p-0 shadow-xl backdrop:bg-ink/50"
		>
			<div className="flex flex-col gap-4 p-6">
				<h2 id={`${ids}-title`} className="text-xl font-semibold text-brand-900">
					Share “{item.name}”
				</h2>
				<p className="text-sm text-slate-700">
					{item.kind === "folder"
						? "They will see this folder and everything in it, now and later, until the share ends."
						: "They will be able to open and download this file until the share ends."}
				</p>
				<form onSubmit={lookUp} className="flex items-end gap-3">
					<TextField
						className="flex-1"
						label="Their handle"
						value={handle}
						onChange={(event) => setHandle(event.target.value)}
						autoComplete="off"
						required
					/>
					<Button type="submit" variant="secondary" busy={busy === "look-up"}>
						Find
					</Button>
				</form>

				{recipient ? (
					<IdentityCard checked={recipient}>
						{recipient.status === "changed" ? (
							<Button variant="danger" onClick={acceptNewKeys}>
								I compared the new safety number: accept the new keys
							</Button>
						) : mustConfirm ? (
							<label className="flex items-start gap-3 text-sm text-slate-800">
								<input
									type="checkbox"
									checked={confirmed}
									onChange={(event) => setConfirmed(event.target.checked)}
									className="mt-1 h-4 w-4"
								/>
								I compared this safety number with {recipient.displayName} (in person or on a call)
								and it matches.
							</label>
						) : null}
					</IdentityCard>
				) : null}

				{recipient && recipient.status !== "changed" && !done ? (
					<form onSubmit={share} className="flex flex-col gap-4">
						<fieldset className="flex flex-col gap-1">
							<legend className="text-sm font-medium text-slate-800">Access</legend>
							<label className="flex items-center gap-2 text-sm">
								<input type="radio" name="access" value="viewer" checked readOnly />
								Viewer: can open and download
							</label>
							<p className="text-sm text-slate-600">
								Viewer is the only access level for now: they cannot change, add or delete anything.
							</p>
						</fieldset>
						<TextField
							type="date"
							label="Last day of access (optional)"
							hint={`Access ends when this day ends. Leave it empty for no end date: the share then lasts ${OPEN_ENDED_SHARE_DAYS} days, the longest storage nodes keep one. You can revoke it sooner.`}
							value={lastDay}
							min={today()}
							onChange={(event) => setLastDay(event.target.value)}
						/>
						<div className="rounded-md border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-700">
							<p className="font-medium text-slate-800">Good to know</p>
							<ul className="mt-1 list-disc pl-5">
								<li>
									What they download stays with them: ending or revoking the share cannot take back
									copies they already have.
								</li>
								<li>
									The end date and revocation are enforced by {SHARE_PROXIES} storage nodes acting
									as proxies. If {SHARE_THRESHOLD} of them colluded, they could ignore them.
								</li>
							</ul>
						</div>
						<Button type="submit" busy={busy === "share"} disabled={!canShare}>
							Share with {recipient.displayName}
						</Button>
					</form>
				) : null}

				{error ? <Alert>{error}</Alert> : null}
				{done ? <Alert tone="success">{done}</Alert> : null}
				<div className="flex justify-end">
					<Button variant="secondary" onClick={onClose}>
						{done ? "Done" : "Cancel"}
					</Button>
				</div>
			</div>
		</dialog>
	);
}
