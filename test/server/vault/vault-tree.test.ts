// The vault tree through createCaller, on every database kind: the personal vault, folders,
// rename, move (never into itself), trash, restore and delete — and no access to other people's.
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { b64u } from "../../helpers/accounts";
import { DATABASE_KINDS, setupTestDatabase } from "../../helpers/database";
import { personWithVault, sealedNameStandIn, wrappedKeyStandIn } from "../../helpers/vault";

const sealed = sealedNameStandIn;
const wrapped = wrappedKeyStandIn;

describe.each(DATABASE_KINDS)("vault tree on %s", (kind) => {
	const database = setupTestDatabase(kind);

	async function userWithVault(handle: string) {
		const { browser, vault } = await personWithVault(database.current.db, handle);
		const folder = (parentId: string | null = null) =>
			browser.api.vault.createFolder({
				vaultId: vault.id,
				id: randomUUID(),
				parentId,
				sealedName: sealed(),
				wrappedNodeKey: wrapped(),
			});
		return { browser, api: browser.api, vault, folder };
	}

	it("creates one personal vault per user and returns its wrapped key", async () => {
		const { api, vault } = await userWithVault("vera");
		await expect(api.vault.personal()).resolves.toMatchObject({
			id: vault.id,
			wrappedVaultKey: vault.wrappedVaultKey,
		});
		await expect(
			api.vault.createPersonal({ id: randomUUID(), wrappedVaultKey: wrapped() }),
		).rejects.toMatchObject({ code: "CONFLICT" });
	});

	it("lists a folder's children with their sealed names, never trashed ones", async () => {
		const { api, vault, folder } = await userWithVault("walt");
		const documents = await folder();
		const taxes = await folder(documents.id);
		await folder(documents.id);
		expect((await api.vault.list({ vaultId: vault.id, parentId: null })).map((n) => n.id)).toEqual([
			documents.id,
		]);
		const children = await api.vault.list({ vaultId: vault.id, parentId: documents.id });
		expect(children).toHaveLength(2);
		await api.vault.trash({ id: taxes.id });
		expect(await api.vault.list({ vaultId: vault.id, parentId: documents.id })).toHaveLength(1);
		expect(
			(await api.vault.list({ vaultId: vault.id, parentId: null, trashed: true })).map((n) => n.id),
		).toEqual([taxes.id]);
	});

	it("renames and moves with new sealed names and wraps", async () => {
		const { api, folder } = await userWithVault("xena");
		const a = await folder();
		const b = await folder();
		const renamed = await api.vault.rename({ id: a.id, sealedName: sealed() });
		expect(renamed.sealedName).not.toBe(a.sealedName);
		const moved = await api.vault.move({
			id: a.id,
			parentId: b.id,
			sealedName: sealed(),
			wrappedNodeKey: wrapped(),
		});
		expect(moved.parentId).toBe(b.id);
		expect(moved.wrappedNodeKey).not.toBe(a.wrappedNodeKey);
	});

	it("returns an item's folder chain from the top level down", async () => {
		const { api, folder } = await userWithVault("path-finder");
		const top = await folder();
		const middle = await folder(top.id);
		const leaf = await folder(middle.id);
		expect((await api.vault.path({ id: leaf.id })).map((node) => node.id)).toEqual([
			top.id,
			middle.id,
			leaf.id,
		]);
	});

	it("refuses to move a folder into itself or below itself", async () => {
		const { api, folder } = await userWithVault("yann");
		const top = await folder();
		const child = await folder(top.id);
		const grandchild = await folder(child.id);
		for (const target of [top.id, grandchild.id]) {
			await expect(
				api.vault.move({
					id: top.id,
					parentId: target,
					sealedName: sealed(),
					wrappedNodeKey: wrapped(),
				}),
			).rejects.toMatchObject({
				code: "BAD_REQUEST",
				message: expect.stringMatching(/into itself/),
			});
		}
	});

	it("restores from the trash and deletes for good only what is trashed", async () => {
		const { api, vault, folder } = await userWithVault("zoe");
		const parent = await folder();
		const child = await folder(parent.id);
		await expect(api.vault.deleteForever({ id: child.id })).rejects.toMatchObject({
			code: "CONFLICT",
		});
		await api.vault.trash({ id: parent.id });
		await api.vault.trash({ id: child.id });
		await expect(api.vault.restore({ id: child.id })).rejects.toMatchObject({
			message: expect.stringMatching(/folder that contains/),
		});
		await api.vault.restore({ id: parent.id });
		await api.vault.restore({ id: child.id });
		await api.vault.trash({ id: parent.id });
		await api.vault.deleteForever({ id: parent.id });
		expect(await api.vault.list({ vaultId: vault.id, parentId: null, trashed: true })).toEqual([]);
		expect(await database.current.db.vaultNode.count({ where: { id: child.id } })).toBe(0);
	});

	it("hides other people's vaults and items", async () => {
		const owner = await userWithVault("olga");
		const secret = await owner.folder();
		const intruder = await userWithVault("ivan");
		await expect(
			intruder.api.vault.list({ vaultId: owner.vault.id, parentId: null }),
		).rejects.toMatchObject({ code: "NOT_FOUND" });
		await expect(
			intruder.api.vault.rename({ id: secret.id, sealedName: sealed() }),
		).rejects.toMatchObject({ code: "NOT_FOUND" });
		await expect(
			intruder.api.vault.move({
				id: secret.id,
				parentId: null,
				sealedName: sealed(),
				wrappedNodeKey: wrapped(),
			}),
		).rejects.toMatchObject({
			code: "NOT_FOUND",
		});
		await expect(
			intruder.api.vault.createFolder({
				vaultId: intruder.vault.id,
				id: randomUUID(),
				parentId: secret.id,
				sealedName: sealed(),
				wrappedNodeKey: wrapped(),
			}),
		).rejects.toMatchObject({ code: "NOT_FOUND" });
	});

	it("rejects oversized sealed names", async () => {
		const { api, vault } = await userWithVault("pat-sizes");
		await expect(
			api.vault.createFolder({
				vaultId: vault.id,
				id: randomUUID(),
				parentId: null,
				sealedName: b64u(randomBytes(2000)),
				wrappedNodeKey: wrapped(),
			}),
		).rejects.toMatchObject({ code: "BAD_REQUEST" });
	});
	it("refuses item 1,001 of a folder before storing anything: new folder, new file, move in, restore", async () => {
		const { api, vault, folder } = await userWithVault("yuri");
		const full = await folder();
		const outside = await folder();
		const parked = await folder(full.id);
		await api.vault.trash({ id: parked.id });
		// 999 more items straight in the database (1,000 live with `parked` trashed and one left).
		const now = new Date();
		await database.current.db.vaultNode.createMany({
			data: Array.from({ length: 999 }, () => ({
				id: randomUUID(),
				vaultId: vault.id,
				parentId: full.id,
				kind: "folder",
				sealedName: new Uint8Array(randomBytes(80)),
				wrappedNodeKey: new Uint8Array(randomBytes(105)),
				createdAt: now,
				updatedAt: now,
			})),
		});
		const last = await folder(full.id);
		const refused = {
			code: "BAD_REQUEST",
			message: expect.stringMatching(/already holds 1,000 items/),
		};
		await expect(folder(full.id)).rejects.toMatchObject(refused);
		await expect(
			api.files.startUpload({
				vaultId: vault.id,
				fileId: randomUUID(),
				parentId: full.id,
				newFile: { sealedName: sealed(), wrappedNodeKey: wrapped() },
				versionId: randomUUID(),
				sealedUploadState: b64u(randomBytes(120)),
				size: 10,
				chunkSize: 4 * 2 ** 20,
				chunkCount: 1,
				dataShards: 4,
				parityShards: 2,
			}),
		).rejects.toMatchObject(refused);
		await expect(
			api.vault.move({
				id: outside.id,
				parentId: full.id,
				sealedName: sealed(),
				wrappedNodeKey: wrapped(),
			}),
		).rejects.toMatchObject(refused);
		await expect(api.vault.restore({ id: parked.id })).rejects.toMatchObject(refused);
		// Nothing was added; moving within the folder and renaming still work.
		expect(await api.vault.list({ vaultId: vault.id, parentId: full.id })).toHaveLength(1000);
		await api.vault.move({
			id: last.id,
			parentId: full.id,
			sealedName: sealed(),
			wrappedNodeKey: wrapped(),
		});
		// Room again once an item leaves.
		await api.vault.trash({ id: last.id });
		await expect(api.vault.restore({ id: parked.id })).resolves.toMatchObject({ trashedAt: null });
	});
});
