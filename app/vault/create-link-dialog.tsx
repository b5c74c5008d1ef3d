"use client";
// "Get link" for one file: expiry (required, 7 days by default), an optional download limit and
// password, and honest notes on what a link can and cannot promise. Once made, it shows the
// address with a Copy button; the secret after "#" exists only here and in that address.
import { type FormEvent, useEffect, useRef, useState } from "react";
import type { UnlockedKeys } from "../../client/account/account-keys";
import { createLink, DEFAULT_LINK_DAYS, MAX_LINK_PASSWORD_CHARS } from "../../client/sharing/links";
import { SHARE_THRESHOLD } from "../../client/sharing/share-core";
import type { VaultItem } from "../../client/vault/folder-tree";
import { api } from "../_components/api-client";
import { Button } from "../_components/button";
import { describeError } from "../_components/describe-error";
import { TextField } from "../_components/text-field";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const EXPIRIES = [
	{ label: "1 hour", ms: HOUR_MS },
	{ label: "1 day", ms: DAY_MS },
	{ label: "7 days", ms: DEFAULT_LINK_DAYS * DAY_MS },
	{ label: "30 days", ms: 30 * DAY_MS },
	{ label: "90 days", ms: 90 * DAY_MS },
	{ label: "1 year", ms: 365 * DAY_MS },
] as const;
/** Largest download limit offered (the policy allows far more; nobody needs it). */
const MAX_DOWNLOADS = 10_000;

export function CreateLinkDialog({
	item,
	owner,
	onClose,
}: {
	item: VaultItem;
	owner: UnlockedKeys;
	onClose: () => void;
}) {
	const dialog = useRef<HTMLDialogElement>(null);
	const [expiry, setExpiry] = useState<number>(DEFAULT_LINK_DAYS * DAY_MS);
	const [limit, setLimit] = useState("");
	const [password, setPassword] = useState("");
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string>();
	const [url, setUrl] = useState<string>();
	const [copied, setCopied] = useState(false);

	useEffect(() => {
		dialog.current?.showModal();
	}, []);

	async function submit(event: FormEvent) {
		event.preventDefault();
		setError(undefined);
		const useLimit = limit.trim() === "" ? undefined : Number(limit);
		if (
			useLimit !== undefined &&
			(!Number.isInteger(useLimit) || useLimit < 1 || useLimit > MAX_DOWNLOADS)
		) {
			setError(`A download limit is a whole number from 1 to ${MAX_DOWNLOADS}, or empty.`);
			return;
		}
		if (password.length > MAX_LINK_PASSWORD_CHARS) {
			setError(`A link password has at most ${MAX_LINK_PASSWORD_CHARS} characters.`);
			return;
		}
		setBusy(true);
		try {
			const made = await createLink(api, owner, item, {
				expiresAt: Date.now() + expiry,
				...(useLimit ? { useLimit } : {}),
				...(password ? { password } : {}),
			});
			setUrl(made.url);
		} catch (failure) {
			setError(describeError(failure));
		} finally {
			setBusy(false);
		}
	}

	async function copy() {
		if (!url) return;
		try {
			await navigator.clipboard.writeText(url);
			setCopied(true);
		} catch {
			setError("Your browser did not allow copying. Select the link and copy it yourself.");
		}
	}

	return (
		<dialog
			ref={dialog}
			aria-labelledby="link-title"
			onCancel={onClose}
			className="m-auto w-full max-w-lg rounded-xl p-0 shadow-xl backdrop:bg-ink/50"
		>
			<div className="flex flex-col gap-4 p-6">
				<h2 id="link-title" className="text-xl font-semibold text-brand-900">
					Link to “{item.name}”
				</h2>
				{url ? (
					<>
						<TextField
							label="Link"
							readOnly
							value={url}
							onFocus={(event) => event.currentTarget.select()}
						/>
						<div className="flex items-center gap-3">
							<Button onClick={() => void copy()}>Copy link</Button>
							{copied ? (
								<span role="status" className="text-sm text-emerald-800">
									Copied.
								</span>
							) : null}
						</div>
						<p className="text-sm text-slate-700">
							The secret that opens the file is the part after “#”. Browsers never send it to
							Coffre&apos;s server, and it is not stored anywhere: this is the only time it is
							shown. {password ? "Send the password by another way than the link." : null}
						</p>
					</>
				) : (
					<form onSubmit={(event) => void submit(event)} className="flex flex-col gap-4">
						<label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
							Link expires after
							<select
								value={expiry}
								onChange={(event) => setExpiry(Number(event.target.value))}
								className="rounded-md border border-slate-300 bg-white px-3 py-2 font-normal"
							>
								{EXPIRIES.map((option) => (
									<option key={option.ms} value={option.ms}>
										{option.label}
									</option>
								))}
							</select>
						</label>
						<TextField
							label="Download limit (optional)"
							inputMode="numeric"
							value={limit}
							onChange={(event) => setLimit(event.target.value)}
							hint="Each opening of the link counts as one download. Empty: no limit."
						/>
						<TextField
							label="Password (optional)"
							type="password"
							autoComplete="new-password"
							value={password}
							onChange={(event) => setPassword(event.target.value)}
							hint="The recipient types it as well; it is stretched with Argon2id and mixed into the link's key."
						/>
						<div className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
							<p>
								Anyone with the link (and the password, if you set one) can download this file until
								it expires, reaches its limit or you revoke it on the Shared page.
							</p>
							<p className="mt-2">
								What someone already downloaded stays with them: expiry and revocation only stop new
								downloads. Expiry and limits are enforced by the storage nodes acting as proxies;{" "}
								{SHARE_THRESHOLD} of them colluding could ignore them.
							</p>
						</div>
						<div className="flex justify-end gap-3">
							<Button variant="secondary" onClick={onClose}>
								Cancel
							</Button>
							<Button type="submit" busy={busy}>
								Create link
							</Button>
						</div>
					</form>
				)}
				{error ? (
					<p role="alert" className="text-sm text-red-800">
						{error}
					</p>
				) : null}
				{url ? (
					<div className="flex justify-end">
						<Button variant="secondary" onClick={onClose}>
							Done
						</Button>
					</div>
				) : null}
			</div>
		</dialog>
	);
}
