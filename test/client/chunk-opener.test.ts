// The page's side of the opening worker (client/vault/chunk-opener.ts) where no Web Worker can
// be made — as in this test's runtime, which has none, like a page whose policy refuses them:
// the download stops with a plain reason instead of an integrity failure, and the content key's
// bytes it was given are wiped.
import { describe, expect, it } from "vitest";
import { startChunkOpener } from "../../client/vault/chunk-opener";

describe("chunk opener without workers", () => {
	it("refuses with a reason a person can act on and wipes the key bytes", async () => {
		expect((globalThis as { Worker?: unknown }).Worker).toBeUndefined();
		const contentKey = crypto.getRandomValues(new Uint8Array(32));
		const starting = startChunkOpener({
			contentKey,
			header: new Uint8Array(64),
			fileId: "file-1",
			versionId: "ver-1",
			dataShards: 4,
			parityShards: 2,
		});
		await expect(starting).rejects.toMatchObject({
			name: "TransferError",
			message: expect.stringContaining("could not be opened in this browser tab"),
		});
		expect(contentKey.every((byte) => byte === 0)).toBe(true);
	});
});
