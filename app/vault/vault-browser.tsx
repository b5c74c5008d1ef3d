"use client";
// Browses the personal vault: breadcrumbs, sorting and search over names opened in this tab,
// new folders, rename, move, trash and restore. Items whose keys or names fail verification
// (a server that swapped or injected them) are reported, never shown as real.
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type FileVersionInfo, openVersionStream } from "../../client/vault/download-file";
import {
	createFolder,
	deleteItemForever,
	ensureFolderPath,
	type FolderRef,
	listFolder,
	listTrash,
	moveItem,
	newestVersion,
	renameItem,
	restoreItem,
	trashItem,
	type UnverifiableItem,
	type VaultItem,
} from "../../client/vault/folder-tree";
import { type OpenVault, openPersonalVault } from "../../client/vault/personal-vault";
import { saveDownload } from "../../client/vault/save-download";
import {
	discardUpload,
	listPendingUploads,
	type PendingUpload,
	resumeUpload,
	uploadFile,
} from "../../client/vault/upload-file";
import { Alert } from "../_components/alert";
import { api } from "../_components/api-client";
import { Breadcrumbs } from "../_components/breadcrumbs";
import { Button } from "../_components/button";
import { ColumnHeader } from "../_components/column-header";
import { describeError } from "../_components/describe-error";
import { formatBytes } from "../_components/format-bytes";
import { ItemIcon } from "../_components/item-icon";
import { MoreActions } from "../_components/more-actions";
import { StorageMeter, type StorageUsage } from "../_components/storage-meter";
import { useUnlockedAccount } from "../_components/use-account";
import { CreateLinkDialog } from "./create-link-dialog";
import { InterruptedUploads } from "./interrupted-uploads";
import { MoveDialog } from "./move-dialog";
import { ShareDialog } from "./share-dialog";
import { hasRoomFor, requireRoomFor } from "./storage-room";
import { Transfers } from "./transfers";
import { useTransfers } from "./use-transfers";
import { VersionsDialog } from "./versions-dialog";

type Crumb = { id: string | null; name: string; key: FolderRef["key"] };
type Sort = "name" | "updated" | "size";

const formatDate = (date: Date) =>
	new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);

/** When an item changed, as the reader's locale writes it, with a machine-readable date. */
function ItemTime({ date }: { date: Date }) {
	return <time dateTime={date.toISOString()}>{formatDate(date)}</time>;
}

export function VaultBrowser() {
	const account = useUnlockedAccount();
	const [vault, setVault] = useState<OpenVault>();
	const [path, setPath] = useState<Crumb[]>([]);
	const [view, setView] = useState<"files" | "trash">("files");
	const [items, setItems] = useState<VaultItem[]>();
	const [unverifiable, setUnverifiable] = useState<UnverifiableItem[]>([]);
	const [omitted, setOmitted] = useState(0);
	const [error, setError] = useState<string>();
	const [notice, setNotice] = useState<string>();
	const [sort, setSort] = useState<Sort>("name");
	const [search, setSearch] = useState("");
	const [newFolder, setNewFolder] = useState<string>();
	const newFolderButton = useRef<HTMLButtonElement>(null);
	// Escape or Cancel closes the new-folder form and gives the focus back to its button.
	const cancelNewFolder = () => {
		setNewFolder(undefined);
		newFolderButton.current?.focus();
	};
	const [renaming, setRenaming] = useState<{ item: VaultItem; name: string }>();
	const [moving, setMoving] = useState<VaultItem>();
	const [versionsOf, setVersionsOf] = useState<VaultItem>();
	const [linkFor, setLinkFor] = useState<VaultItem>();
	const [sharing, setSharing] = useState<VaultItem>();
	const { transfers, runTransfer, queueTransfers, cancelAll, clearFinished } = useTransfers();
	const [pending, setPending] = useState<{ uploads: PendingUpload[]; unverifiable: number }>({
		uploads: [],
		unverifiable: 0,
	});
	const [dragging, setDragging] = useState(false);
	const fileInput = useRef<HTMLInputElement>(null);
	const folderInput = useRef<HTMLInputElement | null>(null);
	const newVersionFor = useRef<VaultItem | undefined>(undefined);
	const latest = useRef(0);

	useEffect(() => {
		if (!account) return;
		openPersonalVault(api, account.keys).then(
			(opened) => {
				setVault(opened);
				setPath([{ id: null, name: "My vault", key: opened.key }]);
			},
			(failure: unknown) => setError(describeError(failure)),
		);
	}, [account]);

	// Storage used: read when the page opens and again after anything that may change it.
	const [usage, setUsage] = useState<StorageUsage>();
	const latestUsage = useRef<StorageUsage>(undefined);
	const reloadUsage = useCallback(async () => {
		// A guide (the server checks each upload): when it cannot be read, it stays as it was.
		const read = await api.files.storageUsage.query().catch(() => undefined);
		if (!read) return;
		latestUsage.current = read;
		setUsage(read);
	}, []);

	useEffect(() => {
		void reloadUsage();
	}, [reloadUsage]);

	const folder = path.at(-1);
	const reload = useCallback(async () => {
		if (!vault || !folder) return;
		const request = ++latest.current;
		try {
			const listing =
				view === "trash" ? await listTrash(api, vault) : await listFolder(api, vault, folder);
			if (request !== latest.current) return;
			setItems(listing.items);
			setUnverifiable(listing.unverifiable);
			setOmitted(listing.omitted);
		} catch (failure) {
			if (request === latest.current) setError(describeError(failure));
		}
	}, [vault, folder, view]);

	useEffect(() => {
		setItems(undefined);
		void reload();
	}, [reload]);

	const reloadPending = useCallback(async () => {
		if (!vault) return;
		try {
			setPending(await listPendingUploads(api, vault));
		} catch (failure) {
			setError(describeError(failure));
		}
	}, [vault]);

	useEffect(() => {
		void reloadPending();
	}, [reloadPending]);

	async function act(action: () => Promise<unknown>, done: string) {
		setError(undefined);
		setNotice(undefined);
		try {
			await action();
			await Promise.all([reload(), reloadUsage()]);
			setNotice(done);
		} catch (failure) {
			setError(describeError(failure));
		}
	}

	async function upload(files: File[], existing?: VaultItem) {
		if (!vault || !folder || !account) return;
		setError(undefined);
		clearFinished();
		const folders = new Map<string, FolderRef>();
		// Every file is listed at once, queued: the overall bar counts the whole batch and any
		// file can be cancelled before its turn. They upload one after another.
		const queued = queueTransfers(
			files.map((file) => ({
				direction: "upload" as const,
				name: file.webkitRelativePath || file.name,
				total: file.size,
			})),
		);
		for (const [index, file] of files.entries()) {
			const transfer = queued[index];
			if (!transfer || transfer.cancelled) continue;
			await transfer.run(async (options) => {
				// Stopped at once, with the sizes, when it cannot fit — read afresh before saying so,
				// as another tab may have made room. The server checks again when it starts.
				if (!hasRoomFor(file.size, latestUsage.current)) await reloadUsage();
				requireRoomFor(file.size, latestUsage.current);
				// A folder upload keeps its structure: "Taxes/2026/a.pdf" lands in Taxes/2026.
				const segments = file.webkitRelativePath.split("/").slice(0, -1);
				const target =
					segments.length > 0
						? await ensureFolderPath(api, vault, folder, segments, folders)
						: folder;
				await uploadFile(api, account.keys, vault, target, file, { existing, ...options });
			});
			// The next file's check counts this one.
			await Promise.all([reload(), reloadUsage()]);
		}
		await reloadPending();
	}

	async function resume(pendingUpload: PendingUpload, file: File) {
		if (!account || !vault) return;
		setError(undefined);
		clearFinished();
		await runTransfer("upload", pendingUpload.name, pendingUpload.size, (options) =>
			resumeUpload(api, account.keys, vault, pendingUpload, file, options),
		);
		await Promise.all([reload(), reloadPending(), reloadUsage()]);
	}

	async function download(item: VaultItem, chosen?: FileVersionInfo) {
		if (!account) return;
		setError(undefined);
		setNotice(undefined);
		clearFinished();
		if (!vault) return;
		const version = await (chosen
			? Promise.resolve(chosen)
			: api.files.versions
					.query({ fileId: item.id })
					.then((versions) => newestVersion(api, vault, item, versions))
		).catch((failure: unknown) => {
			setError(describeError(failure));
			return null;
		});
		if (version === null) return;
		if (!version) {
			setError(`“${item.name}” has no stored version yet.`);
			return;
		}
		const ok = await runTransfer("download", item.name, version.size, async (options) => {
			const opened = await openVersionStream(
				item,
				version,
				account.keys.identity.signingPublicKey,
				options,
			);
			await saveDownload(opened, item.name);
		});
		if (ok) setNotice(`“${item.name}” downloaded and verified.`);
	}

	const shown = useMemo(() => {
		const query = search.trim().toLocaleLowerCase();
		const filtered = (items ?? []).filter((item) => item.name.toLocaleLowerCase().includes(query));
		return filtered.sort((a, b) => {
			if (a.kind !== b.kind) return a.kind === "folder" ? -1 : 1;
			const byName = a.name.localeCompare(b.name, undefined, { numeric: true });
			if (sort === "name") return byName;
			if (sort === "size") return (b.size ?? -1) - (a.size ?? -1) || byName;
			return b.updatedAt.getTime() - a.updatedAt.getTime();
		});
	}, [items, search, sort]);

	if (!vault || !folder)
		return error ? <Alert>{error}</Alert> : <p role="status">Opening your vault…</p>;

	function submitNewFolder(event: FormEvent) {
		event.preventDefault();
		if (!vault || !folder || newFolder === undefined) return;
		const name = newFolder;
		void act(() => createFolder(api, vault, folder, name), `Folder “${name.trim()}” created.`).then(
			() => setNewFolder(undefined),
		);
	}

	function submitRename(event: FormEvent) {
		event.preventDefault();
		if (!vault || !renaming) return;
		const { item, name } = renaming;
		void act(() => renameItem(api, vault, item, name), "Renamed.").then(() =>
			setRenaming(undefined),
		);
	}

	return (
		// biome-ignore lint/a11y/noStaticElementInteractions: dropping files is a shortcut; the Upload files button does the same from the keyboard
		<div
			className={`flex flex-col gap-4 rounded-lg ${dragging ? "outline-2 outline-dashed outline-brand-600" : ""}`}
			onDragOver={(event) => {
				if (view !== "files" || !event.dataTransfer.types.includes("Files")) return;
				event.preventDefault();
				setDragging(true);
			}}
			onDragLeave={() => setDragging(false)}
			onDrop={(event) => {
				event.preventDefault();
				setDragging(false);
				if (view === "files") void upload([...event.dataTransfer.files]);
			}}
		>
			<div className="flex flex-wrap items-center justify-between gap-3">
				{view === "files" ? (
					<Breadcrumbs
						crumbs={path.map((crumb) => ({ key: crumb.id ?? "root", name: crumb.name }))}
						onSelect={(index) => setPath(path.slice(0, index + 1))}
					/>
				) : (
					<h2 className="text-lg font-semibold">Trash</h2>
				)}
				<div className="flex flex-wrap gap-2">
					<Button
						variant="secondary"
						aria-pressed={view === "trash"}
						onClick={() => {
							// A folder is never made, nor an item renamed, in the trash.
							setNewFolder(undefined);
							setRenaming(undefined);
							setView(view === "trash" ? "files" : "trash");
						}}
					>
						{view === "trash" ? "Back to files" : "Trash"}
					</Button>
					{view === "files" ? (
						<>
							<Button ref={newFolderButton} variant="secondary" onClick={() => setNewFolder("")}>
								New folder
							</Button>
							<Button
								onClick={() => {
									newVersionFor.current = undefined;
									fileInput.current?.click();
								}}
							>
								Upload files
							</Button>
							<Button variant="secondary" onClick={() => folderInput.current?.click()}>
								Upload folder
							</Button>
						</>
					) : null}
					<input
						ref={(input) => {
							folderInput.current = input;
							// Not a React prop: lets the person pick a whole folder.
							input?.setAttribute("webkitdirectory", "");
						}}
						type="file"
						className="sr-only"
						aria-label="Folder to upload"
						tabIndex={-1}
						onChange={(event) => {
							const files = [...(event.target.files ?? [])];
							event.target.value = "";
							void upload(files);
						}}
					/>
					<input
						ref={fileInput}
						type="file"
						multiple
						className="sr-only"
						aria-label="Files to upload"
						tabIndex={-1}
						onChange={(event) => {
							const files = [...(event.target.files ?? [])];
							event.target.value = "";
							void upload(newVersionFor.current ? files.slice(0, 1) : files, newVersionFor.current);
						}}
					/>
				</div>
			</div>

			<div className="flex flex-wrap gap-3">
				<label className="flex items-center gap-2 text-sm">
					<span>Search</span>
					<input
						type="search"
						value={search}
						onChange={(event) => setSearch(event.target.value)}
						className="rounded border border-slate-300 px-2 py-1"
						placeholder="Names in this view"
					/>
				</label>
				<label className="flex items-center gap-2 text-sm">
					<span>Sort by</span>
					<select
						value={sort}
						onChange={(event) => setSort(event.target.value as Sort)}
						className="rounded border border-slate-300 px-2 py-1"
					>
						<option value="name">Name</option>
						<option value="updated">Last changed</option>
						<option value="size">Size</option>
					</select>
				</label>
			</div>

			{error ? <Alert>{error}</Alert> : null}
			{notice ? <Alert tone="success">{notice}</Alert> : null}
			<Transfers transfers={transfers} onCancelAll={cancelAll} onClearFinished={clearFinished} />
			{view === "files" ? (
				<InterruptedUploads
					uploads={pending.uploads}
					unverifiable={pending.unverifiable}
					onResume={(upload, file) => void resume(upload, file)}
					onDiscard={(upload) =>
						void act(async () => {
							await discardUpload(api, upload);
							await reloadPending();
						}, `The interrupted upload of “${upload.name}” was discarded.`)
					}
				/>
			) : null}
			{unverifiable.length > 0 ? (
				<Alert>
					{unverifiable.length} item(s) could not be verified and are hidden: the server returned
					data that does not match your keys. Nothing was opened.
				</Alert>
			) : null}
			{omitted > 0 ? (
				<Alert>
					{omitted} item(s) of this folder are missing from what the server returned: your browser
					saved them here, but the server left them out. Nothing was deleted by you; try again
					later.
				</Alert>
			) : null}

			{view === "files" && newFolder !== undefined ? (
				<form
					onSubmit={submitNewFolder}
					className="flex flex-wrap gap-2 rounded-lg border border-slate-200 bg-white p-4"
				>
					<label className="sr-only" htmlFor="new-folder-name">
						New folder name
					</label>
					<input
						id="new-folder-name"
						value={newFolder}
						onChange={(event) => setNewFolder(event.target.value)}
						onKeyDown={(event) => {
							if (event.key === "Escape") cancelNewFolder();
						}}
						className="min-w-40 flex-1 rounded border border-slate-300 px-2 py-1"
						placeholder="Folder name"
						// biome-ignore lint/a11y/noAutofocus: the person just asked for a new folder
						autoFocus
						required
					/>
					<Button type="submit">Create</Button>
					<Button variant="secondary" onClick={cancelNewFolder}>
						Cancel
					</Button>
				</form>
			) : null}

			{items === undefined ? (
				<p role="status">Opening folder…</p>
			) : shown.length === 0 ? (
				<div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600">
					{search
						? "No names match your search."
						: view === "trash"
							? "The trash is empty."
							: "This folder is empty. Drop files here or use Upload files; create folders to organise them."}
				</div>
			) : (
				<table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
					<caption className="sr-only">
						{view === "trash" ? "Items in the trash" : `Contents of ${folder.name}`}
					</caption>
					<thead className="bg-slate-50 text-slate-700">
						<tr>
							<ColumnHeader>Name</ColumnHeader>
							<ColumnHeader className="hidden sm:table-cell">Size</ColumnHeader>
							<ColumnHeader className="hidden sm:table-cell">
								{view === "trash" ? "Deleted" : "Last changed"}
							</ColumnHeader>
							<ColumnHeader>
								<span className="sr-only">Actions</span>
							</ColumnHeader>
						</tr>
					</thead>
					<tbody>
						{shown.map((item) => (
							<tr key={item.id} className="border-t border-slate-200">
								<td className="min-w-32 px-4 py-2">
									{renaming?.item.id === item.id ? (
										<form onSubmit={submitRename} className="flex flex-wrap gap-2">
											<label className="sr-only" htmlFor={`rename-${item.id}`}>
												New name
											</label>
											<input
												id={`rename-${item.id}`}
												value={renaming.name}
												onChange={(event) => setRenaming({ item, name: event.target.value })}
												onKeyDown={(event) => {
													if (event.key === "Escape") setRenaming(undefined);
												}}
												className="rounded border border-slate-300 px-2 py-1"
												// biome-ignore lint/a11y/noAutofocus: the person just asked to rename this item
												autoFocus
												required
											/>
											<Button type="submit">Save</Button>
											<Button variant="secondary" onClick={() => setRenaming(undefined)}>
												Cancel
											</Button>
										</form>
									) : item.kind === "folder" && view === "files" ? (
										<button
											type="button"
											className="inline-flex items-center text-left font-medium wrap-anywhere text-brand-700 underline"
											onClick={() =>
												setPath([...path, { id: item.id, name: item.name, key: item.key }])
											}
										>
											<ItemIcon kind="folder" />
											{item.name}
										</button>
									) : (
										<span className="inline-flex items-center font-medium wrap-anywhere">
											<ItemIcon kind={item.kind} />
											{item.name}
										</span>
									)}
								</td>
								<td className="hidden px-4 py-2 whitespace-nowrap text-slate-600 sm:table-cell">
									{item.kind === "folder" ? null : item.size === undefined ? (
										<>
											<span aria-hidden="true">—</span>
											<span className="sr-only">size unknown</span>
										</>
									) : (
										formatBytes(item.size)
									)}
								</td>
								<td className="hidden px-4 py-2 whitespace-nowrap text-slate-600 sm:table-cell">
									<ItemTime
										date={view === "trash" && item.trashedAt ? item.trashedAt : item.updatedAt}
									/>
								</td>
								<td className="px-4 py-2">
									<div className="flex flex-wrap justify-end gap-2 lg:flex-nowrap [&_button]:px-3 [&_button]:py-1 [&_button]:text-sm">
										{view === "files" ? (
											<>
												{item.kind === "file" ? (
													<Button onClick={() => void download(item)}>
														Download<span className="sr-only"> {item.name}</span>
													</Button>
												) : null}
												<Button variant="secondary" onClick={() => setSharing(item)}>
													Share<span className="sr-only"> {item.name}</span>
												</Button>
												<MoreActions itemName={item.name}>
													{item.kind === "file" ? (
														<>
															<Button variant="secondary" onClick={() => setVersionsOf(item)}>
																Versions<span className="sr-only"> of {item.name}</span>
															</Button>
															<Button variant="secondary" onClick={() => setLinkFor(item)}>
																Get link<span className="sr-only"> to {item.name}</span>
															</Button>
															<Button
																variant="secondary"
																onClick={() => {
																	newVersionFor.current = item;
																	fileInput.current?.click();
																}}
															>
																New version<span className="sr-only"> of {item.name}</span>
															</Button>
														</>
													) : null}
													<Button
														variant="secondary"
														onClick={() => setRenaming({ item, name: item.name })}
													>
														Rename<span className="sr-only"> {item.name}</span>
													</Button>
													<Button variant="secondary" onClick={() => setMoving(item)}>
														Move<span className="sr-only"> {item.name}</span>
													</Button>
													<Button
														variant="danger"
														onClick={() =>
															void act(
																() => trashItem(api, vault, item),
																`“${item.name}” moved to the trash.`,
															)
														}
													>
														Delete<span className="sr-only"> {item.name}</span>
													</Button>
												</MoreActions>
											</>
										) : (
											<>
												<Button
													variant="secondary"
													onClick={() =>
														void act(
															() => restoreItem(api, vault, item),
															`“${item.name}” restored.`,
														)
													}
												>
													Restore<span className="sr-only"> {item.name}</span>
												</Button>
												<Button
													variant="danger"
													onClick={() => {
														if (
															window.confirm(
																`Delete “${item.name}” and everything in it for good? This cannot be undone.`,
															)
														) {
															void act(
																() => deleteItemForever(api, item),
																`“${item.name}” deleted for good.`,
															);
														}
													}}
												>
													Delete for good<span className="sr-only"> {item.name}</span>
												</Button>
											</>
										)}
									</div>
								</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			<StorageMeter usage={usage} />
			{versionsOf ? (
				<VersionsDialog
					item={versionsOf}
					onClose={() => setVersionsOf(undefined)}
					onDownload={(version) => {
						const item = versionsOf;
						setVersionsOf(undefined);
						void download(item, version);
					}}
				/>
			) : null}
			{linkFor && account ? (
				<CreateLinkDialog
					item={linkFor}
					owner={account.keys}
					onClose={() => setLinkFor(undefined)}
				/>
			) : null}
			{sharing ? <ShareDialog item={sharing} onClose={() => setSharing(undefined)} /> : null}
			{moving ? (
				<MoveDialog
					vault={vault}
					item={moving}
					onCancel={() => setMoving(undefined)}
					onMove={(destination) => {
						const item = moving;
						setMoving(undefined);
						void act(
							() => moveItem(api, vault, item, destination.ref),
							`“${item.name}” moved to ${destination.name}.`,
						);
					}}
				/>
			) : null}
		</div>
	);
}
