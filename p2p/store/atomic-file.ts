// Crash-safe small-file writes shared by the node's disk stores: write a new file, fsync it,
// rename it over its final name, fsync the folder — so after a crash a reader finds either the
// old file or the new one, never a torn one. It never writes in place.
import { open, rename } from "node:fs/promises";

/** Fsyncs a folder so the renames and unlinks inside it are durable. */
export async function fsyncDir(dir: string): Promise<void> {
	const handle = await open(dir, "r");
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** Creates `path` (it must not exist) with `bytes`, mode 0600, and fsyncs it. */
export async function writeSyncedFile(path: string, bytes: Uint8Array): Promise<void> {
	const handle = await open(path, "wx", 0o600);
	try {
		await handle.writeFile(bytes);
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/**
 * Writes `bytes` to `tmpPath`, syncs it and renames it to `finalPath` (same file system).
 * The caller fsyncs the final folder (once, after a batch of renames).
 */
export async function replaceFileAtomic(
	tmpPath: string,
	finalPath: string,
	bytes: Uint8Array,
): Promise<void> {
	await writeSyncedFile(tmpPath, bytes);
	await rename(tmpPath, finalPath);
}
