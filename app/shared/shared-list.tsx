"use client";
// The owner's shares and links: item name (opened here through its folder chain), recipient or
// "Link", expiry, downloads against the limit, state, and "Revoke" for active ones (signed in
// this tab with the share's own key). Says plainly what revocation cannot undo.
import { useCallback, useEffect, useState } from "react";
import { revokeShare } from "../../client/sharing/revoke-share";
import { SHARE_THRESHOLD } from "../../client/sharing/share-core";
import { openSealedNode } from "../../client/vault/folder-tree";
import { openPersonalVault } from "../../client/vault/personal-vault";
import { Alert } from "../_components/alert";
import { api } from "../_components/api-client";
import { Button } from "../_components/button";
import { ColumnHeader } from "../_components/column-header";
import { describeError } from "../_components/describe-error";
import { ItemIcon } from "../_components/item-icon";
import { useUnlockedAccount } from "../_components/use-account";

type OwnShare = Awaited<ReturnType<typeof api.shares.mine.query>>[number];
type Row = OwnShare & { name: string | null };

const STATES: Record<OwnShare["state"], string> = {
	active: "Active",
	expired: "Expired",
	revoked: "Revoked",
	exhausted: "Download limit reached",
};

const formatDate = (date: Date) =>
	new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);

export function SharedList() {
	const account = useUnlockedAccount();
	const [rows, setRows] = useState<Row[]>();
	const [error, setError] = useState<string>();
	const [notice, setNotice] = useState<string>();
	const [revoking, setRevoking] = useState<string>();

	const reload = useCallback(async () => {
		if (!account) return;
		try {
			const vault = await openPersonalVault(api, account.keys);
			const shares = await api.shares.mine.query();
			const names = await Promise.all(
				shares.map((share) =>
					openSealedNode(api, vault, share.node).then(
						({ name }) => name,
						() => null,
					),
				),
			);
			setRows(shares.map((share, i) => ({ ...share, name: names[i] ?? null })));
		} catch (failure) {
			setError(describeError(failure));
		}
	}, [account]);

	useEffect(() => {
		void reload();
	}, [reload]);

	async function revoke(row: Row) {
		if (!account) return;
		const what = row.kind === "link" ? "this link" : `the share with ${row.recipient?.displayName}`;
		if (!window.confirm(`Revoke ${what}? It stops opening at once.`)) return;
		setError(undefined);
		setNotice(undefined);
		setRevoking(row.id);
		try {
			await revokeShare(api, account.keys, row);
			setNotice(
				`Revoked. ${row.kind === "link" ? "The link" : "The share"} no longer opens; what was already downloaded stays with the recipient.`,
			);
			await reload();
		} catch (failure) {
			setError(describeError(failure));
		} finally {
			setRevoking(undefined);
		}
	}

	return (
		<div className="flex flex-col gap-4">
			<p className="text-sm text-slate-700">
				Revoking stops new downloads at once; what a recipient already downloaded stays with them.
				Expiry, limits and revocation are enforced by storage nodes acting as proxies:{" "}
				{SHARE_THRESHOLD} of them colluding could ignore them.
			</p>
			{error ? <Alert>{error}</Alert> : null}
			{notice ? <Alert tone="success">{notice}</Alert> : null}
			{rows === undefined ? (
				error ? null : (
					<p role="status">Loading what you share…</p>
				)
			) : rows.length === 0 ? (
				<div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600">
					You share nothing yet. Use “Get link” on a file in your vault.
				</div>
			) : (
				<table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
					<caption className="sr-only">Your shares and links</caption>
					<thead className="bg-slate-50 text-slate-700">
						<tr>
							<ColumnHeader>Item</ColumnHeader>
							<ColumnHeader>With</ColumnHeader>
							<ColumnHeader>Expires</ColumnHeader>
							<ColumnHeader>Downloads</ColumnHeader>
							<ColumnHeader>State</ColumnHeader>
							<ColumnHeader>
								<span className="sr-only">Actions</span>
							</ColumnHeader>
						</tr>
					</thead>
					<tbody>
						{rows.map((row) => (
							<tr key={row.id} className="border-t border-slate-200" data-testid="share-row">
								<td className="px-4 py-2 font-medium">
									<ItemIcon kind={row.node.kind} />
									{row.name ?? <span className="text-red-800">Name could not be verified</span>}
								</td>
								<td className="px-4 py-2">
									{row.kind === "link"
										? `Link${row.hasPassword ? " (password)" : ""}`
										: `${row.recipient?.displayName} (@${row.recipient?.handle})`}
								</td>
								<td className="px-4 py-2 text-slate-600">{formatDate(row.expiresAt)}</td>
								<td className="px-4 py-2" data-testid="share-uses">
									{row.useLimit ? `${row.uses} of ${row.useLimit}` : row.uses}
								</td>
								<td className="px-4 py-2" data-testid="share-state">
									{STATES[row.state]}
								</td>
								<td className="px-4 py-2 text-right">
									{row.state === "active" ? (
										<Button
											variant="danger"
											className="px-3 py-1 text-sm"
											busy={revoking === row.id}
											onClick={() => void revoke(row)}
										>
											Revoke
											<span className="sr-only">
												{" "}
												{row.kind === "link" ? "link to" : "share of"} {row.name ?? "this item"}
											</span>
										</Button>
									) : null}
								</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
		</div>
	);
}
