"use client";
// What other people shared with me: each share opened in this tab (its key from the proxies,
// its name with that key), who shared it and whether their safety number was compared, until
// when. Shared folders open with breadcrumbs inside the share; files download with a progress
// row, checked against the owner's signature. Items that do not verify are reported, never
// shown; ended shares and failures say so plainly.
import { useCallback, useEffect, useRef, useState } from "react";
import type { IdentityStatus } from "../../client/account/identity-pins";
import {
	listSharedFolder,
	listSharedVersions,
	listSharedWithMe,
	type OpenedShare,
	openSharedFile,
	type UnopenedShare,
} from "../../client/sharing/shared-with-me";
import type { UnverifiableItem, VaultItem } from "../../client/vault/folder-tree";
import { saveDownload } from "../../client/vault/save-download";
import { Alert } from "../_components/alert";
import { api } from "../_components/api-client";
import { Breadcrumbs } from "../_components/breadcrumbs";
import { Button } from "../_components/button";
import { ColumnHeader } from "../_components/column-header";
import { describeError } from "../_components/describe-error";
import { ItemIcon } from "../_components/item-icon";
import { useUnlockedAccount } from "../_components/use-account";
import { Transfers } from "../vault/transfers";
import { useTransfers } from "../vault/use-transfers";

type Entry = Pick<VaultItem, "id" | "kind" | "name" | "key">;
type Crumb = { id: string; name: string; key: VaultItem["key"] };

const formatDay = (date: Date) =>
	new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(date);

const OWNER_STATE: Record<IdentityStatus, { text: string; className: string }> = {
	verified: { text: "Safety number verified", className: "text-emerald-800" },
	pinned: { text: "Safety number not compared yet", className: "text-slate-600" },
	new: { text: "Safety number not compared yet", className: "text-slate-600" },
	changed: {
		text: "Keys changed since you pinned them: downloads are refused until you compare and accept them on the People page",
		className: "font-semibold text-red-800",
	},
};

export function SharedWithMeBrowser() {
	const account = useUnlockedAccount();
	const [shares, setShares] = useState<{ opened: OpenedShare[]; unopened: UnopenedShare[] }>();
	const [inside, setInside] = useState<{ share: OpenedShare; path: Crumb[] }>();
	const [items, setItems] = useState<VaultItem[]>();
	const [unverifiable, setUnverifiable] = useState<UnverifiableItem[]>([]);
	const [omitted, setOmitted] = useState(0);
	const [error, setError] = useState<string>();
	const [notice, setNotice] = useState<string>();
	const { transfers, runTransfer, cancelAll, clearFinished } = useTransfers();
	const latest = useRef(0);

	useEffect(() => {
		if (!account) return;
		listSharedWithMe(api, account.keys).then(setShares, (failure: unknown) =>
			setError(describeError(failure)),
		);
	}, [account]);

	const folder = inside?.path.at(-1);
	const reload = useCallback(async () => {
		if (!inside || !folder) return;
		const request = ++latest.current;
		setItems(undefined);
		setError(undefined);
		try {
			const listing = await listSharedFolder(api, inside.share, folder);
			if (request !== latest.current) return;
			setItems(listing.items);
			setUnverifiable(listing.unverifiable);
			setOmitted(listing.omitted);
		} catch (failure) {
			if (request === latest.current) setError(describeError(failure));
		}
	}, [inside, folder]);

	useEffect(() => {
		void reload();
	}, [reload]);

	async function download(share: OpenedShare, file: Entry) {
		setError(undefined);
		setNotice(undefined);
		clearFinished();
		let version: Awaited<ReturnType<typeof listSharedVersions>>[number] | undefined;
		try {
			[version] = await listSharedVersions(api, share.share.id, file.id);
		} catch (failure) {
			setError(describeError(failure));
			return;
		}
		if (!version) {
			setError(`“${file.name}” has no stored version yet.`);
			return;
		}
		const chosen = version;
		const ok = await runTransfer("download", file.name, chosen.size, async (options) => {
			await saveDownload(await openSharedFile(share, file, chosen, options), file.name);
		});
		if (ok) setNotice(`“${file.name}” downloaded and verified.`);
	}

	function open(share: OpenedShare, entry: Entry) {
		setNotice(undefined);
		if (entry.kind === "folder") {
			const crumb = { id: entry.id, name: entry.name, key: entry.key };
			setInside(
				inside?.share === share
					? { share, path: [...inside.path, crumb] }
					: { share, path: [crumb] },
			);
		} else void download(share, entry);
	}

	if (!account) return null;

	const header = inside ? (
		<Breadcrumbs
			crumbs={[
				{ key: "shared", name: "Shared with me" },
				...inside.path.map((crumb) => ({ key: crumb.id, name: crumb.name })),
			]}
			onSelect={(index) =>
				index === 0
					? setInside(undefined)
					: setInside({ ...inside, path: inside.path.slice(0, index) })
			}
		/>
	) : null;

	return (
		<div className="flex flex-col gap-4">
			{header}
			<p className="text-sm text-slate-600">
				Files shared with you open only in this browser, with keys the storage nodes re-encrypt for
				you. What you download is yours to keep; the owner can end the share at any time.
			</p>
			{error ? <Alert>{error}</Alert> : null}
			{notice ? <Alert tone="success">{notice}</Alert> : null}
			<Transfers transfers={transfers} onCancelAll={cancelAll} onClearFinished={clearFinished} />
			{inside ? (
				<>
					<p className="text-sm text-slate-700">
						Shared by {inside.share.owner.displayName} (@{inside.share.owner.handle}) until{" "}
						{formatDay(inside.share.share.expiresAt)}.
					</p>
					{unverifiable.length > 0 ? (
						<Alert>
							{unverifiable.length} item(s) could not be verified and are hidden: the server
							returned data that does not match the shared keys. Nothing was opened.
						</Alert>
					) : null}
					{omitted > 0 ? (
						<Alert>
							{omitted} item(s) of this folder are missing from what the server returned: the
							owner's saved contents of the folder hold them, but the server left them out.
						</Alert>
					) : null}
					{items === undefined ? (
						error ? null : (
							<p role="status">Opening folder…</p>
						)
					) : items.length === 0 ? (
						<div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600">
							This folder is empty.
						</div>
					) : (
						<ItemTable
							caption={`Contents of ${folder?.name ?? ""}`}
							rows={[...items]
								.sort((a, b) =>
									a.kind !== b.kind
										? a.kind === "folder"
											? -1
											: 1
										: a.name.localeCompare(b.name, undefined, { numeric: true }),
								)
								.map((item) => ({ entry: item, share: inside.share }))}
							onOpen={open}
						/>
					)}
				</>
			) : shares === undefined ? (
				error ? null : (
					<p role="status">Opening what was shared with you…</p>
				)
			) : (
				<>
					{shares.unopened.map(({ share, reason }) => (
						<Alert key={share.id} tone="notice">
							A {share.node.kind} shared by {share.owner.displayName} (@{share.owner.handle}) could
							not be opened: {reason}
						</Alert>
					))}
					{shares.opened.length === 0 ? (
						<div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600">
							Nothing is shared with you yet. When someone shares a file or folder with your handle,
							it appears here.
						</div>
					) : (
						<ItemTable
							caption="Items shared with you"
							rows={shares.opened.map((share) => ({ entry: share.item, share, top: true }))}
							onOpen={open}
						/>
					)}
				</>
			)}
		</div>
	);
}

function ItemTable({
	caption,
	rows,
	onOpen,
}: {
	caption: string;
	rows: { entry: Entry; share: OpenedShare; top?: boolean }[];
	onOpen: (share: OpenedShare, entry: Entry) => void;
}) {
	const top = rows.some((row) => row.top);
	return (
		<table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
			<caption className="sr-only">{caption}</caption>
			<thead className="bg-slate-50 text-slate-700">
				<tr>
					<ColumnHeader>Name</ColumnHeader>
					{top ? (
						<>
							<ColumnHeader>From</ColumnHeader>
							<ColumnHeader>Until</ColumnHeader>
						</>
					) : null}
					<ColumnHeader>
						<span className="sr-only">Actions</span>
					</ColumnHeader>
				</tr>
			</thead>
			<tbody>
				{rows.map(({ entry, share }) => (
					<tr key={entry.id} className="border-t border-slate-200" data-testid="shared-item">
						<td className="px-4 py-2">
							{entry.kind === "folder" ? (
								<button
									type="button"
									className="font-medium text-brand-700 underline"
									onClick={() => onOpen(share, entry)}
								>
									<ItemIcon kind="folder" />
									{entry.name}
								</button>
							) : (
								<span className="font-medium">
									<ItemIcon kind="file" />
									{entry.name}
								</span>
							)}
						</td>
						{top ? (
							<>
								<td className="px-4 py-2">
									<span>
										{share.owner.displayName}{" "}
										<span className="text-slate-600">@{share.owner.handle}</span>
									</span>
									<span className={`block text-xs ${OWNER_STATE[share.owner.status].className}`}>
										{OWNER_STATE[share.owner.status].text}
									</span>
								</td>
								<td className="px-4 py-2 text-slate-600">{formatDay(share.share.expiresAt)}</td>
							</>
						) : null}
						<td className="px-4 py-2">
							<div className="flex justify-end [&_button]:px-3 [&_button]:py-1 [&_button]:text-sm">
								{entry.kind === "file" ? (
									<Button onClick={() => onOpen(share, entry)}>
										Download<span className="sr-only"> {entry.name}</span>
									</Button>
								) : (
									<Button variant="secondary" onClick={() => onOpen(share, entry)}>
										Open<span className="sr-only"> {entry.name}</span>
									</Button>
								)}
							</div>
						</td>
					</tr>
				))}
			</tbody>
		</table>
	);
}
