// The browser's own look at the storage left before a file's upload starts, so that a file that
// cannot fit is stopped at once with the sizes that matter ("needs 500 KB; 400 KB of your
// 1.0 MB is left"). The server's check when the upload starts stays the one that counts: this
// one reads what the server last reported and may be behind another tab's uploads.
import { formatBytes } from "../_components/format-bytes";
import type { StorageUsage } from "../_components/storage-meter";

export class StorageFullError extends Error {
	override name = "StorageFullError";
}

/** Whether `size` more bytes fit in `usage` (unknown usage: assumed so). */
export function hasRoomFor(size: number, usage: StorageUsage | undefined): boolean {
	return !usage || usage.usedBytes + size <= usage.quotaBytes;
}

/** Throws StorageFullError when `size` more bytes do not fit in `usage` (unknown: no check). */
export function requireRoomFor(size: number, usage: StorageUsage | undefined): void {
	if (!usage || hasRoomFor(size, usage)) return;
	const left = Math.max(0, usage.quotaBytes - usage.usedBytes);
	throw new StorageFullError(
		`Not enough storage left: this file needs ${formatBytes(size)}; ${formatBytes(left)} of your ${formatBytes(usage.quotaBytes)} is left. Delete files for good from the trash, or discard interrupted uploads, to make room.`,
	);
}
