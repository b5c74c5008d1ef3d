// Storage quotas through createCaller, on every database kind: what a person's files take (every
// version, the trash and uploads under way included) is counted against their quota (their own
// when one was set, else the deployment's); a version that would pass it is refused with a
// clear message and leaves nothing behind; no version stores more than it declared; giving up
// an upload or deleting for good gives the space back; one person's files never count for
// another.
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { placeChunk } from "../../../server/services/files/uploads";
import { createContext, DEFAULT_STORAGE_QUOTA_BYTES } from "../../../server/trpc";
import { b64u } from "../../helpers/accounts";
import { DATABASE_KINDS, setupTestDatabase } from "../../helpers/database";
import { personWithVault, sealedNameStandIn, wrappedKeyStandIn } from "../../helpers/vault";

describe.each(DATABASE_KINDS)("storage quota on %s", (kind) => {
	const database = setupTestDatabase(kind);

	async function personWithQuota(handle: string, quotaBytes: number) {
		const person = await personWithVault(database.current.db, handle);
		const { browser, vault } = person;
		browser.storageQuotaBytes = quotaBytes;
		// A caller made now, with the quota (the one personWithVault returned has the default).
		const api = browser.api;
		/** Starts the first version of a new file, or a new version of `fileId`. */
		const start = async (size: number, fileId?: string) => {
			const id = fileId ?? randomUUID();
			const versionId = randomUUID();
			await api.files.startUpload({
				vaultId: vault.id,
				fileId: id,
				parentId: null,
				...(fileId
					? {}
					: { newFile: { sealedName: sealedNameStandIn(), wrappedNodeKey: wrappedKeyStandIn() } }),
				versionId,
				sealedUploadState: b64u(randomBytes(120)),
				size,
				chunkSize: 4 * 2 ** 20,
				chunkCount: 1,
				dataShards: 4,
				parityShards: 2,
			});
			return { fileId: id, versionId };
		};
		const used = async () => (await api.files.storageUsage()).usedBytes;
		return { api, start, used };
	}

	it("reports what a person's files take and the quota, the default when none is set", async () => {
		const { api, browser } = await personWithVault(database.current.db, `q-default-${kind}`);
		expect(browser.storageQuotaBytes).toBeUndefined();
		await expect(api.files.storageUsage()).resolves.toEqual({
			usedBytes: 0,
			quotaBytes: DEFAULT_STORAGE_QUOTA_BYTES,
		});
	});

	it("counts every version and refuses one that would pass the quota, leaving nothing", async () => {
		const { start, used } = await personWithQuota(`q-full-${kind}`, 1_000);
		const first = await start(600);
		expect(await used()).toBe(600);
		// A second version of the same file counts too: the first stays on the network.
		await expect(start(500, first.fileId)).rejects.toMatchObject({
			code: "PAYLOAD_TOO_LARGE",
			message: expect.stringContaining("Not enough storage left for this file"),
		});
		// A new file that does not fit is not created either.
		const before = await database.current.db.vaultNode.count();
		await expect(start(401)).rejects.toThrow(/Not enough storage left/);
		expect(await database.current.db.vaultNode.count()).toBe(before);
		await start(400, first.fileId);
		expect(await used()).toBe(1_000);
		await expect(start(0)).resolves.toBeDefined();
		await expect(start(1)).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
	});

	it("gives space back when an upload is given up or a file is deleted for good", async () => {
		const { api, start, used } = await personWithQuota(`q-free-${kind}`, 1_000);
		const kept = await start(300);
		const abandoned = await start(700);
		await expect(start(1)).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
		await api.files.abandonUpload({ versionId: abandoned.versionId });
		expect(await used()).toBe(300);
		// In the trash it still takes its space; deleted for good it does not.
		await api.vault.trash({ id: kept.fileId });
		expect(await used()).toBe(300);
		await api.vault.deleteForever({ id: kept.fileId });
		expect(await used()).toBe(0);
		await expect(start(1_000)).resolves.toBeDefined();
	});

	it("counts uploads started at the same instant one after the other", async () => {
		const { start, used } = await personWithQuota(`q-race-${kind}`, 1_000);
		const results = await Promise.allSettled(Array.from({ length: 4 }, () => start(400)));
		expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(2);
		for (const result of results.filter((result) => result.status === "rejected"))
			expect(result.reason).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
		expect(await used()).toBe(800);
	});

	it("follows a quota set for one person over the deployment's", async () => {
		const handle = `q-own-${kind}`;
		const { api, start, used } = await personWithQuota(handle, 10_000);
		const { db } = database.current;
		const { id } = await db.user.findUniqueOrThrow({ where: { handle } });
		await db.user.update({ where: { id }, data: { storageQuotaBytes: 500n } });
		expect(await api.files.storageUsage()).toEqual({ usedBytes: 0, quotaBytes: 500 });
		await expect(start(501)).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
		await start(500);
		expect(await used()).toBe(500);
		// More than the deployment gives, for a family or a company.
		await db.user.update({ where: { id }, data: { storageQuotaBytes: 20_000n } });
		await expect(start(15_000)).resolves.toBeDefined();
	});

	it("lets no version store more than its declared size: bigger shards are refused", async () => {
		const handle = `q-shards-${kind}`;
		const { start } = await personWithQuota(handle, 1_000);
		const { db } = database.current;
		const { id: userId } = await db.user.findUniqueOrThrow({ where: { handle } });
		const ctx = { ...createContext({ db }), userId };
		// 10 bytes declared: one sealed chunk of 10 + 16 bytes, so 4 data shards of 7 bytes.
		const { versionId } = await start(10);
		const place = (size: number) =>
			placeChunk(ctx, {
				versionId,
				chunkIndex: 0,
				shards: Array.from({ length: 6 }, () => ({ root: new Uint8Array(32), size })),
			});
		await expect(place(64 * 2 ** 20)).rejects.toMatchObject({
			code: "BAD_INPUT",
			message: "Each shard of chunk 0 has 7 bytes, as the version's size and chunk size make it.",
		});
		await expect(place(8)).rejects.toMatchObject({ code: "BAD_INPUT" });
		expect(await db.shardPlacement.count({ where: { versionId } })).toBe(0);
	});

	it("never counts one person's files for another", async () => {
		const alice = await personWithQuota(`q-alice-${kind}`, 1_000);
		const bob = await personWithQuota(`q-bob-${kind}`, 1_000);
		await alice.start(900);
		expect(await bob.used()).toBe(0);
		await expect(bob.start(1_000)).resolves.toBeDefined();
		expect(await alice.used()).toBe(900);
	});
});
