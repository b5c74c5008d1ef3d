// Folder states as the server keeps them (DESIGN §9.3): opaque sealed bytes with a sequence
// number, one row per folder (the vault id names the top level). The server cannot read or
// check them; it only keeps them in step with the changes they describe: a state goes in
// together with its change, in one transaction, and only as the successor (seq + 1) of the one
// stored — so two windows changing one folder at once cannot both win, and the loser retries.
// The owner may also save a state on its own (a folder's first, or an old unsigned one signed
// again), under the same successor rule.
import type { Database, DatabaseClient } from "../../db";
import { AppError } from "../../errors";
import type { Context } from "../../trpc";
import { requireOwnVault } from "./access";

type UserContext = Context & { userId: string };

/** Largest sealed state accepted: 1,000 entries of ≤ 97 bytes, the owner's signature, the box. */
export const MAX_FOLDER_STATE_BYTES = 100 * 1024;

/** A new state for one folder, sent with the change it describes. */
export interface FolderStateUpdate {
	/** The folder, or null for the vault's top level. */
	folderId: string | null;
	/** The stored state's seq + 1 (1 for a folder that has none yet). */
	seq: number;
	sealedState: Uint8Array<ArrayBuffer>;
}

/** The stored state of a folder (null for the top level), or null when it has none yet. */
export async function getFolderState(
	ctx: UserContext,
	{ vaultId, folderId }: { vaultId: string; folderId: string | null },
) {
	await requireOwnVault(ctx.db, ctx.userId, vaultId);
	return ctx.db.folderState.findUnique({
		where: { vaultId_folderId: { vaultId, folderId: folderId ?? vaultId } },
		select: { seq: true, sealedState: true },
	});
}

const CHANGED_MEANWHILE =
	"This folder was changed meanwhile (in another window or device). Please try again.";

async function applyUpdate(
	db: DatabaseClient,
	vaultId: string,
	update: FolderStateUpdate,
	now: Date,
): Promise<void> {
	if (update.folderId !== null) {
		const folder = await db.vaultNode.findUnique({
			where: { id: update.folderId },
			select: { vaultId: true, kind: true },
		});
		if (folder?.vaultId !== vaultId || folder.kind !== "folder")
			throw new AppError("BAD_INPUT", "A folder state names a folder outside this vault.");
	}
	const folderId = update.folderId ?? vaultId;
	if (update.seq === 1) {
		const existing = await db.folderState.findUnique({
			where: { vaultId_folderId: { vaultId, folderId } },
			select: { seq: true },
		});
		if (existing) throw new AppError("CONFLICT", CHANGED_MEANWHILE);
		await db.folderState.create({
			data: { vaultId, folderId, seq: 1, sealedState: update.sealedState, updatedAt: now },
		});
		return;
	}
	const { count } = await db.folderState.updateMany({
		where: { vaultId, folderId, seq: update.seq - 1 },
		data: { seq: update.seq, sealedState: update.sealedState, updatedAt: now },
	});
	if (count !== 1) throw new AppError("CONFLICT", CHANGED_MEANWHILE);
}

/** Checks a batch of updates names each folder once. */
function checkDistinct(updates: FolderStateUpdate[]): void {
	const folders = new Set(updates.map((update) => update.folderId));
	if (folders.size !== updates.length)
		throw new AppError("BAD_INPUT", "Send one state per folder.");
}

/** Stores new folder states within an open transaction (for changes that run their own). */
export async function applyFolderStates(
	db: DatabaseClient,
	vaultId: string,
	updates: FolderStateUpdate[],
	now: Date,
): Promise<void> {
	checkDistinct(updates);
	for (const update of updates) await applyUpdate(db, vaultId, update, now);
}

/**
 * Runs `change` and stores `updates` in one transaction: both happen, or neither. `change` gets
 * a context whose `db` is the transaction. Without updates it runs as it is.
 */
export async function withFolderStates<T>(
	ctx: UserContext,
	vaultId: string,
	updates: FolderStateUpdate[] | undefined,
	change: (ctx: UserContext) => Promise<T>,
): Promise<T> {
	if (!updates || updates.length === 0) return change(ctx);
	checkDistinct(updates);
	await requireOwnVault(ctx.db, ctx.userId, vaultId);
	return ctx.db.$transaction(async (tx) => {
		const result = await change({ ...ctx, db: tx as Database });
		await applyFolderStates(tx, vaultId, updates, ctx.now());
		return result;
	});
}
