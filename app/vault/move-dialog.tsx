"use client";
// Picks a destination folder for a move by browsing the vault's folders (names opened here).
// The item itself and its subfolders are not offered: a folder cannot move into itself.
import { useEffect, useRef, useState } from "react";
import { type FolderRef, listFolder, type VaultItem } from "../../client/vault/folder-tree";
import type { OpenVault } from "../../client/vault/personal-vault";
import { api } from "../_components/api-client";
import { Button } from "../_components/button";
import { describeError } from "../_components/describe-error";
import { ItemIcon } from "../_components/item-icon";

type Crumb = { ref: FolderRef; name: string };

export function MoveDialog({
	vault,
	item,
	onMove,
	onCancel,
}: {
	vault: OpenVault;
	item: VaultItem;
	onMove: (destination: Crumb) => void;
	onCancel: () => void;
}) {
	const dialog = useRef<HTMLDialogElement>(null);
	const [path, setPath] = useState<Crumb[]>([
		{ ref: { id: null, key: vault.key }, name: "My vault" },
	]);
	const [folders, setFolders] = useState<VaultItem[]>();
	const [error, setError] = useState<string>();
	const current = path.at(-1) as Crumb;

	useEffect(() => {
		dialog.current?.showModal();
	}, []);

	useEffect(() => {
		setFolders(undefined);
		listFolder(api, vault, current.ref).then(
			(listing) =>
				setFolders(
					listing.items.filter((entry) => entry.kind === "folder" && entry.id !== item.id),
				),
			(failure: unknown) => setError(describeError(failure)),
		);
	}, [vault, current, item.id]);

	return (
		<dialog
			ref={dialog}
			aria-labelledby="move-title"
			onCancel={onCancel}
			className="m-auto w-full max-w-md rounded-xl p-0 shadow-xl backdrop:bg-ink/50"
		>
			<div className="flex flex-col gap-4 p-6">
				<h2 id="move-title" className="text-xl font-semibold text-brand-900">
					Move “{item.name}”
				</h2>
				<p className="text-sm text-slate-700">
					Destination:{" "}
					<span className="font-semibold">{path.map((crumb) => crumb.name).join(" / ")}</span>
				</p>
				{path.length > 1 ? (
					<Button variant="secondary" onClick={() => setPath(path.slice(0, -1))}>
						Up one level
					</Button>
				) : null}
				{error ? (
					<p role="alert" className="text-sm text-red-800">
						{error}
					</p>
				) : null}
				{folders === undefined ? (
					<p role="status">Loading folders…</p>
				) : folders.length === 0 ? (
					<p className="text-sm text-slate-600">No subfolders here.</p>
				) : (
					<ul aria-label="Folders" className="flex max-h-64 flex-col gap-1 overflow-y-auto">
						{folders.map((folder) => (
							<li key={folder.id}>
								<button
									type="button"
									className="w-full rounded px-2 py-1 text-left hover:bg-brand-50"
									onClick={() =>
										setPath([
											...path,
											{ ref: { id: folder.id, key: folder.key }, name: folder.name },
										])
									}
								>
									<ItemIcon kind="folder" />
									{folder.name}
								</button>
							</li>
						))}
					</ul>
				)}
				<div className="flex justify-end gap-3">
					<Button variant="secondary" onClick={onCancel}>
						Cancel
					</Button>
					<Button disabled={current.ref.id === item.parentId} onClick={() => onMove(current)}>
						Move here
					</Button>
				</div>
			</div>
		</dialog>
	);
}
