// How much of the network a person's vaults take, against their storage quota (their own when
// one was set for them, else the deployment's): the sizes of every version of every file in
// vaults they own — older versions, items in the trash and uploads still under way included,
// since the network holds (or is about to hold) all of them. Only deleting for good gives
// space back. The server knows these sizes anyway (DESIGN §6: sizes are what it must know to
// serve); nothing here reads or reveals a name or a byte.
import type { DatabaseClient } from "../../db";
import { AppError } from "../../errors";

/** Bytes used and allowed. */
export interface StorageUsage {
	usedBytes: number;
	quotaBytes: number;
}

/** Sum of the sizes of all versions in `userId`'s vaults (plaintext sizes, as shown to people). */
export async function usedStorageBytes(db: DatabaseClient, userId: string): Promise<number> {
	const { _sum } = await db.fileVersion.aggregate({
		_sum: { size: true },
		where: { node: { vault: { ownerId: userId } } },
	});
	return Number(_sum.size ?? 0n);
}

/** The bytes `userId` may store: their own quota when one was set, else `defaultQuotaBytes`. */
export async function storageQuotaBytes(
	db: DatabaseClient,
	userId: string,
	defaultQuotaBytes: number,
): Promise<number> {
	const user = await db.user.findUnique({
		where: { id: userId },
		select: { storageQuotaBytes: true },
	});
	const own = user?.storageQuotaBytes;
	// A negative number set by hand allows nothing, as 0 does.
	return own === null || own === undefined ? defaultQuotaBytes : Math.max(0, Number(own));
}

export async function storageUsage(
	db: DatabaseClient,
	userId: string,
	defaultQuotaBytes: number,
): Promise<StorageUsage> {
	return {
		usedBytes: await usedStorageBytes(db, userId),
		quotaBytes: await storageQuotaBytes(db, userId, defaultQuotaBytes),
	};
}

/**
 * Refuses a new version of `size` bytes that would take `userId` past their quota, with a
 * message that says how to make room. Run inside the transaction that creates the version: it
 * locks the person's row until that transaction ends, so uploads started at the same instant
 * are counted one after the other and cannot pass the quota together.
 */
export async function requireRoomForVersion(
	db: DatabaseClient,
	userId: string,
	size: number,
	defaultQuotaBytes: number,
): Promise<void> {
	await db.$queryRaw`SELECT 1 FROM "users" WHERE "id" = ${userId}::uuid FOR UPDATE`;
	const { usedBytes, quotaBytes } = await storageUsage(db, userId, defaultQuotaBytes);
	if (usedBytes + size <= quotaBytes) return;
	// The vault page shows how much is used and allowed; sizes stay out of the message.
	throw new AppError(
		"PAYLOAD_TOO_LARGE",
		"Not enough storage left for this file. Delete files for good from the trash, or discard interrupted uploads, to make room.",
	);
}
