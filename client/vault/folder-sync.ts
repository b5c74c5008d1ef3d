// Keeps folder states (./folder-state.ts) in step with the changes this browser makes, and
// checks the ones the server hands back against what this browser has already seen. Every
// change to a folder's contents sends the folder's next state with it; the server stores both
// or neither, and only as the successor of the state this browser started from, so a change
// made meanwhile elsewhere is retried on top of it. The highest sequence number seen per folder
// is remembered on this device: a lower one in answer to a question asked later is a rollback
// (an answer racing a change this tab saved meanwhile is only out of date). A folder that never
// had a state (made before states existed) gets one from its first verified listing — trust on
// first use, as rollback detection cannot do better for a device that saw nothing before.
// States are signed by the vault's owner; a state saved before states were signed (version 1)
// is signed again when its owner lists the folder, and once this device has seen a signed state
// of a folder, an unsigned one is refused for it.
import type { BoxKey, SigningPublicKey } from "../../crypto";
import type { ApiClient } from "../api";
import {
	type FolderEntry,
	type FolderStateBinding,
	FolderStateError,
	MAX_FOLDER_ENTRIES,
	type OpenedFolderState,
	openFolderState,
	sealFolderState,
} from "./folder-state";
import type { FolderRef } from "./folder-tree";
import type { OpenVault } from "./personal-vault";

/** A new folder state, as the API takes it with a change. */
export interface FolderStateUpdate {
	folderId: string | null;
	seq: number;
	sealedState: string;
}

/** How often a change is tried again on top of a state changed meanwhile. */
const CHANGE_ATTEMPTS = 4;
const SEEN_PREFIX = "coffre:folder-seq:";
const SIGNED_PREFIX = "coffre:folder-signed:";

/**
 * What this device remembers of each folder of a vault, kept in localStorage under `prefix` as
 * one JSON object per vault (folder id → value), with a copy in memory for this tab.
 */
function folderMemory(prefix: string) {
	const inMemory = new Map<string, Record<string, unknown>>();
	const of = (vaultId: string): Record<string, unknown> => {
		const cached = inMemory.get(vaultId);
		if (cached) return cached;
		let stored: Record<string, unknown> = {};
		try {
			const parsed: unknown = JSON.parse(
				globalThis.localStorage?.getItem(prefix + vaultId) ?? "{}",
			);
			if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
				stored = parsed as Record<string, unknown>;
		} catch {
			stored = {};
		}
		inMemory.set(vaultId, stored);
		return stored;
	};
	return {
		get: (vaultId: string, folderId: string): unknown => of(vaultId)[folderId],
		set(vaultId: string, folderId: string, value: unknown): void {
			const remembered = of(vaultId);
			remembered[folderId] = value;
			try {
				globalThis.localStorage?.setItem(prefix + vaultId, JSON.stringify(remembered));
			} catch {
				// Storage full or disabled: this tab still remembers.
			}
		},
	};
}

/** The highest sequence number this device has seen for each folder. */
const seenSeqs = folderMemory(SEEN_PREFIX);
/** Folders whose signed state this device has seen. */
const seenSigned = folderMemory(SIGNED_PREFIX);

function seenSeq(vaultId: string, folderId: string): number {
	const seq = seenSeqs.get(vaultId, folderId);
	return typeof seq === "number" && Number.isSafeInteger(seq) ? seq : 0;
}

function rememberSeq(vaultId: string, folderId: string, seq: number): void {
	if (seenSeq(vaultId, folderId) < seq) seenSeqs.set(vaultId, folderId, seq);
}

const hasSeenSigned = (vaultId: string, folderId: string) =>
	seenSigned.get(vaultId, folderId) === true;

function rememberSigned(vaultId: string, folderId: string): void {
	if (!hasSeenSigned(vaultId, folderId)) seenSigned.set(vaultId, folderId, true);
}

/** The id a folder's state is bound to: the folder's, or the vault's at the top level. */
const stateFolderId = (vault: OpenVault, folder: FolderRef) => folder.id ?? vault.id;

/**
 * What this device had seen of a folder when it asked the server for the folder's state. An
 * answer is checked against this, not against what was seen when the answer arrived: a change
 * this tab saved while the question was on its way makes the answer out of date, not a
 * rollback (a listing then shows the folder as it was a moment ago; a change built on it is
 * refused as CONFLICT and tried again on the newer state).
 */
export interface SeenFolder {
	seq: number;
	signed: boolean;
}

export function seenFolder(binding: FolderStateBinding): SeenFolder {
	return {
		seq: seenSeq(binding.vaultId, binding.folderId),
		signed: hasSeenSigned(binding.vaultId, binding.folderId),
	};
}

/**
 * The folder's state as the server keeps it, opened and checked against what this device saw;
 * null when the folder has none yet. Throws FolderStateError when it does not verify, is older
 * than one seen here, or went missing after this device saw one.
 */
export async function loadFolderState(
	api: ApiClient,
	vault: OpenVault,
	folder: FolderRef,
): Promise<OpenedFolderState | null> {
	const binding = { vaultId: vault.id, folderId: stateFolderId(vault, folder) };
	const seen = seenFolder(binding);
	const sealed = await api.vault.folderState.query({ vaultId: vault.id, folderId: folder.id });
	return openSeenFolderState(sealed, folder.key, binding, vault.owner.signingPublicKey, seen);
}

/**
 * Opens a folder's sealed state as the server sent it (null: none), checks its owner's
 * signature (`ownerKey`) and checks it against what this device had seen of that folder when
 * it asked (`seen`, taken with `seenFolder` before the request), remembering the newest.
 * Throws FolderStateError when it does not verify, is older than one seen, went missing after
 * one was seen, or is unsigned after a signed one was seen.
 */
export function openSeenFolderState(
	sealed: { seq: number; sealedState: string } | null,
	key: BoxKey,
	binding: FolderStateBinding,
	ownerKey: SigningPublicKey,
	{ seq: seen, signed: seenSigned }: SeenFolder,
): OpenedFolderState | null {
	if (!sealed) {
		if (seen > 0)
			throw new FolderStateError(
				"This folder's saved contents are missing: the server may be showing it as it was earlier.",
			);
		return null;
	}
	const state = openFolderState(sealed, key, binding, ownerKey);
	if (state.seq < seen)
		throw new FolderStateError(
			"The server is showing this folder as it was earlier (an older state than this browser has seen). Nothing was changed; try again later.",
		);
	if (!state.signed && seenSigned)
		throw new FolderStateError(
			"This folder's saved contents are no longer signed by its owner: they may have been forged.",
		);
	rememberSeq(binding.vaultId, binding.folderId, state.seq);
	if (state.signed) rememberSigned(binding.vaultId, binding.folderId);
	return state;
}

/** The first state of a folder that has none, sealed (seq 1). */
export function firstFolderState(
	vault: OpenVault,
	folder: FolderRef,
	entries: FolderEntry[],
): FolderStateUpdate {
	const state = { seq: 1, entries: new Map(entries.map((entry) => [entry.id, entry])) };
	return {
		folderId: folder.id,
		seq: 1,
		sealedState: sealFolderState(
			state,
			folder.key,
			{ vaultId: vault.id, folderId: stateFolderId(vault, folder) },
			vault.owner.signing,
		),
	};
}

/** Saves the first state of a folder that had none, made from its verified listing. */
export async function saveFirstFolderState(
	api: ApiClient,
	vault: OpenVault,
	folder: FolderRef,
	entries: FolderEntry[],
): Promise<void> {
	const update = firstFolderState(vault, folder, entries);
	try {
		await api.vault.saveFolderState.mutate({ vaultId: vault.id, states: [update] });
		rememberSeq(vault.id, stateFolderId(vault, folder), 1);
		rememberSigned(vault.id, stateFolderId(vault, folder));
	} catch (error) {
		// Another window saved one first: the next listing checks against that one.
		if (!isConflict(error)) throw error;
	}
}

/**
 * Signs again, as its successor, the state of a folder saved before states were signed (the
 * same entries, now with the owner's signature), so that from then on a forged unsigned state
 * is refused for it everywhere. Best effort: when another window changed the folder first, or
 * the network fails, the folder's next listing or change signs it.
 */
export async function signOldFolderState(
	api: ApiClient,
	vault: OpenVault,
	folder: FolderRef,
	state: OpenedFolderState,
): Promise<void> {
	if (state.signed) return;
	const folderId = stateFolderId(vault, folder);
	await inFolderQueues([`${vault.id}/${folderId}`], async () => {
		const seq = state.seq + 1;
		const update = {
			folderId: folder.id,
			seq,
			sealedState: sealFolderState(
				{ seq, entries: state.entries },
				folder.key,
				{ vaultId: vault.id, folderId },
				vault.owner.signing,
			),
		};
		try {
			await api.vault.saveFolderState.mutate({ vaultId: vault.id, states: [update] });
			rememberSeq(vault.id, folderId, seq);
			rememberSigned(vault.id, folderId);
		} catch {
			// Changed meanwhile (then signed by that change) or not reachable: tried again later.
		}
	});
}

/** One folder a change touches, and what it does to the folder's entries. */
export interface FolderChange {
	folder: FolderRef;
	apply(entries: Map<string, FolderEntry>): void;
	/**
	 * The entries of the folder as listed, for a folder that has no state yet (made before
	 * states existed); its first state is built from them.
	 */
	currentEntries(): Promise<FolderEntry[]>;
}

const isConflict = (error: unknown) =>
	(error as { data?: { appCode?: string } } | null)?.data?.appCode === "CONFLICT";

/** Changes to one folder run one after another in this tab, so they never race each other. */
const folderQueues = new Map<string, Promise<unknown>>();

async function inFolderQueues<T>(keys: string[], run: () => Promise<T>): Promise<T> {
	const sorted = [...new Set(keys)].sort();
	const before = sorted.map((key) => folderQueues.get(key) ?? Promise.resolve());
	const result = Promise.all(before.map((p) => p.catch(() => undefined))).then(run);
	const settled = result.catch(() => undefined);
	for (const key of sorted) folderQueues.set(key, settled);
	try {
		return await result;
	} finally {
		for (const key of sorted) if (folderQueues.get(key) === settled) folderQueues.delete(key);
	}
}

/**
 * Makes a change that alters the contents of `changes`' folders: builds each folder's next
 * state, and `perform`s the change with them (the server stores change and states together).
 * When a folder changed meanwhile (CONFLICT with a newer state), it starts again from that one.
 */
export async function changeFolders<T>(
	api: ApiClient,
	vault: OpenVault,
	changes: FolderChange[],
	perform: (states: FolderStateUpdate[]) => Promise<T>,
): Promise<T> {
	const keys = changes.map((change) => `${vault.id}/${stateFolderId(vault, change.folder)}`);
	return inFolderQueues(keys, async () => {
		for (let attempt = 1; ; attempt++) {
			const bases: number[] = [];
			const updates: FolderStateUpdate[] = [];
			for (const change of changes) {
				const state = await loadFolderState(api, vault, change.folder);
				const entries = state
					? new Map(state.entries)
					: new Map((await change.currentEntries()).map((entry) => [entry.id, entry]));
				change.apply(entries);
				if (entries.size > MAX_FOLDER_ENTRIES)
					throw new FolderStateError(
						`A folder can hold at most ${MAX_FOLDER_ENTRIES.toLocaleString("en")} items. Make a subfolder for more.`,
					);
				const seq = (state?.seq ?? 0) + 1;
				bases.push(state?.seq ?? 0);
				updates.push({
					folderId: change.folder.id,
					seq,
					sealedState: sealFolderState(
						{ seq, entries },
						change.folder.key,
						{ vaultId: vault.id, folderId: stateFolderId(vault, change.folder) },
						vault.owner.signing,
					),
				});
			}
			try {
				const result = await perform(updates);
				for (const [i, change] of changes.entries()) {
					const seq = (updates[i] as FolderStateUpdate).seq;
					rememberSeq(vault.id, stateFolderId(vault, change.folder), seq);
					rememberSigned(vault.id, stateFolderId(vault, change.folder));
				}
				return result;
			} catch (error) {
				if (!isConflict(error) || attempt >= CHANGE_ATTEMPTS) throw error;
				// Only a folder that changed meanwhile is worth another try.
				const now = await Promise.all(
					changes.map((change) =>
						api.vault.folderState.query({ vaultId: vault.id, folderId: change.folder.id }),
					),
				);
				if (now.every((sealed, i) => (sealed?.seq ?? 0) === bases[i])) throw error;
			}
		}
	});
}
