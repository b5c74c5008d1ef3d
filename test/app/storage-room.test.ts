// The browser's look at the storage left before an upload (app/vault/storage-room): a file that
// does not fit is stopped with the sizes that matter; one that fits exactly, or an unknown
// usage, is let through (the server checks each upload anyway).
import { describe, expect, it } from "vitest";
import { hasRoomFor, requireRoomFor, StorageFullError } from "../../app/vault/storage-room";

const usage = { usedBytes: 600_000, quotaBytes: 1_000_000 };

describe("requireRoomFor", () => {
	it("stops a file that does not fit, naming its size, what is left and the quota", () => {
		expect(hasRoomFor(400_001, usage)).toBe(false);
		expect(() => requireRoomFor(500_000, usage)).toThrow(StorageFullError);
		expect(() => requireRoomFor(500_000, usage)).toThrow(
			"Not enough storage left: this file needs 500 KB; 400 KB of your 1.0 MB is left.",
		);
	});

	it("lets through a file that fits to the byte, and any file when the usage is unknown", () => {
		expect(hasRoomFor(400_000, usage)).toBe(true);
		expect(() => requireRoomFor(400_000, usage)).not.toThrow();
		expect(() => requireRoomFor(10 ** 12, undefined)).not.toThrow();
	});

	it("says nothing is left when more than the quota is used (a quota lowered later)", () => {
		expect(() => requireRoomFor(1, { usedBytes: 2_000, quotaBytes: 1_000 })).toThrow(
			"this file needs 1 B; 0 B of your 1.0 KB is left",
		);
	});
});
