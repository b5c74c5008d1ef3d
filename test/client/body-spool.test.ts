// The upload body spool where a browser has no origin-private file system (here: Node, which
// has Blob but no navigator.storage): bodies are in-memory Blobs with the parts in order.
// The on-disk spool is tested in Chromium (test/e2e/vault/upload-spool.spec.ts).
import { describe, expect, it, vi } from "vitest";
import { openBodySpool } from "../../client/vault/body-spool";

describe("body spool without a private file system", () => {
	it("makes in-memory bodies holding the parts one after another", async () => {
		const spool = await openBodySpool(undefined);
		const parts = [Uint8Array.of(1, 2, 3), new Uint8Array(0), Uint8Array.of(4, 5)];
		const spooled = await spool.body(parts);
		expect(spooled.onDisk).toBe(false);
		expect(new Uint8Array(await spooled.body.arrayBuffer())).toEqual(Uint8Array.of(1, 2, 3, 4, 5));
		// The body is a copy: the parts' buffers may be reused at once.
		(parts[0] as Uint8Array).fill(9);
		expect(new Uint8Array(await spooled.body.slice(0, 3).arrayBuffer())).toEqual(
			Uint8Array.of(1, 2, 3),
		);
		spooled.release();
		await spool.close();
	});

	it("falls back to memory when the private file system refuses to open", async () => {
		// Stand-ins for a browser with synchronous handles whose private file system refuses to
		// open (Firefox refuses it in private windows): a fault Node cannot cause.
		class FileSystemFileHandle {
			createSyncAccessHandle() {}
		}
		vi.stubGlobal("FileSystemFileHandle", FileSystemFileHandle);
		let asked = 0;
		const refusing = {
			getDirectory: () => {
				asked++;
				return Promise.reject(new DOMException("denied", "SecurityError"));
			},
		} as unknown as StorageManager;
		try {
			const spool = await openBodySpool(refusing);
			expect(asked).toBe(1);
			expect((await spool.body([Uint8Array.of(7)])).onDisk).toBe(false);
		} finally {
			vi.unstubAllGlobals();
		}
	});
});
