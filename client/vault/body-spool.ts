// Request bodies for the upload worker's shard PUTs, spooled to disk. A Blob made from memory
// is copied into the browser's own process and stays there until the worker's JavaScript
// engine collects the Blob object — which, for an object that lived through a request, is a
// full collection, seconds later: over a 256 MiB upload the browser held up to 14 such bodies
// (84 MiB, counted in chrome://blob-internals). So each body is written to a file in the
// origin's private file system (OPFS) with a synchronous access handle, and the request sends
// that file: the browser reads it from disk as it sends and keeps no copy. A file is reused
// once its body is released — every request reading it has ended (a file changed under a
// request in flight makes that request fail, never send other bytes). The bytes are sealed
// shards, the same the storage nodes get. (In a private window the browser keeps the origin's
// files in its own memory, and each write crosses to its process — slower, 137 ms per 4 MiB
// chunk against 10 ms on disk here — but the reuse still bounds them to the bodies in flight.)
//
// Each spool has its own folder, named in a Web Lock it holds while open; a spool opened later
// removes the folders whose lock nobody holds (a tab closed mid-upload). Where the OPFS, its
// synchronous handles or Web Locks are missing (or a write fails: quota), a body is an
// in-memory Blob as before. Dedicated workers only (synchronous handles exist nowhere else).
// Written here: no maintained package spools fetch bodies to the OPFS.

/**
 * A body ready to send, in one request or in slices over several; `release` once no request
 * reads it any more (each has been answered, has failed or was aborted).
 */
export interface SpooledBody {
	body: Blob;
	/** True when the body is a file on disk, false for an in-memory Blob. */
	onDisk: boolean;
	release(): void;
}

export interface BodySpool {
	/** A body holding `parts` one after another. */
	body(parts: readonly Uint8Array<ArrayBuffer>[]): Promise<SpooledBody>;
	/** Removes the spool's files (bodies still in flight fail). */
	close(): Promise<void>;
}

/** The synchronous access handle's calls used here (typed only in the worker's DOM library). */
interface SyncAccessHandle {
	write(buffer: Uint8Array, options: { at: number }): number;
	truncate(size: number): void;
	close(): void;
}
type SpoolFile = FileSystemFileHandle & {
	createSyncAccessHandle?: () => Promise<SyncAccessHandle>;
};
type Listable = FileSystemDirectoryHandle & { keys(): AsyncIterable<string> };

/** The folder in the origin's private file system that holds every spool's folder. */
export const SPOOL_ROOT = "upload-spool";
const LOCK_PREFIX = "coffre-upload-spool:";

/** An in-memory Blob: the fallback body. */
function blobBody(parts: readonly Uint8Array<ArrayBuffer>[]): SpooledBody {
	return { body: new Blob([...parts]), onDisk: false, release: () => {} };
}

/** A spool that keeps bodies in memory only. */
const memorySpool: BodySpool = {
	body: async (parts) => blobBody(parts),
	close: async () => {},
};

/** Removes the spool folders no open spool holds the lock of. */
async function removeAbandoned(root: FileSystemDirectoryHandle, locks: LockManager) {
	const names: string[] = [];
	for await (const name of (root as Listable).keys()) names.push(name);
	for (const name of names) {
		await locks.request(`${LOCK_PREFIX}${name}`, { ifAvailable: true }, async (lock) => {
			if (lock) await root.removeEntry(name, { recursive: true }).catch(() => {});
		});
	}
}

/**
 * Opens a spool in the origin's private file system, or one that keeps bodies in memory where
 * that is not available.
 */
export async function openBodySpool(
	storage: StorageManager | undefined = globalThis.navigator?.storage,
): Promise<BodySpool> {
	const locks: LockManager | undefined = globalThis.navigator?.locks;
	// Synchronous handles exist in dedicated workers only (and not in every browser).
	const syncHandles =
		typeof FileSystemFileHandle !== "undefined" &&
		"createSyncAccessHandle" in FileSystemFileHandle.prototype;
	if (!storage?.getDirectory || !locks || !syncHandles) return memorySpool;
	let folder: FileSystemDirectoryHandle;
	let root: FileSystemDirectoryHandle;
	const name = crypto.randomUUID();
	let unlock = () => {};
	try {
		root = await (await storage.getDirectory()).getDirectoryHandle(SPOOL_ROOT, { create: true });
		// Held until close (or until this worker ends): tells later spools this folder is in use.
		await new Promise<void>((held, failed) => {
			locks
				.request(`${LOCK_PREFIX}${name}`, () => {
					held();
					return new Promise<void>((done) => {
						unlock = done;
					});
				})
				.catch(failed);
		});
		await removeAbandoned(root, locks);
		folder = await root.getDirectoryHandle(name, { create: true });
	} catch {
		unlock();
		return memorySpool;
	}
	const free: SpoolFile[] = [];
	let made = 0;
	let closed = false;

	const write = async (file: SpoolFile, parts: readonly Uint8Array<ArrayBuffer>[]) => {
		const handle = await (file.createSyncAccessHandle as () => Promise<SyncAccessHandle>)();
		try {
			let at = 0;
			for (const part of parts) {
				if (handle.write(part, { at }) !== part.length) throw new Error("short write");
				at += part.length;
			}
			handle.truncate(at);
		} finally {
			handle.close();
		}
	};

	return {
		async body(parts) {
			if (closed) return blobBody(parts);
			try {
				const file =
					free.pop() ??
					((await folder.getFileHandle(`body-${made++}`, { create: true })) as SpoolFile);
				await write(file, parts);
				const body = await file.getFile();
				let released = false;
				return {
					body,
					onDisk: true,
					release: () => {
						if (released || closed) return;
						released = true;
						free.push(file);
					},
				};
			} catch {
				// Out of quota, or the folder went away (site data cleared): this body stays in
				// memory, and a file that failed is not used again.
				return blobBody(parts);
			}
		},
		async close() {
			if (closed) return;
			closed = true;
			free.length = 0;
			await root.removeEntry(name, { recursive: true }).catch(() => {});
			unlock();
		},
	};
}
