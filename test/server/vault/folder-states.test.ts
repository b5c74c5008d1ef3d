// Folder states through createCaller, on every database kind (DESIGN §9.3): a state is stored
// together with the change it describes and only as the successor of the stored one — a stale
// state fails the whole change — it names folders of its own vault only, nobody else can read
// it, and deleting a folder for good drops its state.
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { b64u } from "../../helpers/accounts";
import { DATABASE_KINDS, setupTestDatabase } from "../../helpers/database";
import { personWithVault, sealedNameStandIn, wrappedKeyStandIn } from "../../helpers/vault";

const sealed = sealedNameStandIn;
const wrapped = wrappedKeyStandIn;
/** A stand-in sealed folder state: the server never opens one. */
const stateBytes = () => b64u(randomBytes(120));

describe.each(DATABASE_KINDS)("folder states on %s", (kind) => {
	const database = setupTestDatabase(kind);

	const userWithVault = (handle: string) => personWithVault(database.current.db, handle);

	it("stores a state with its change, only as the successor of the stored one", async () => {
		const { api, vault } = await userWithVault("stella");
		const top = { vaultId: vault.id, folderId: null };
		expect(await api.vault.folderState(top)).toBeNull();

		const first = stateBytes();
		await api.vault.saveFolderState({
			vaultId: vault.id,
			states: [{ folderId: null, seq: 1, sealedState: first }],
		});
		expect(await api.vault.folderState(top)).toEqual({ seq: 1, sealedState: first });
		// A second "first" state (another window) loses.
		await expect(
			api.vault.saveFolderState({
				vaultId: vault.id,
				states: [{ folderId: null, seq: 1, sealedState: stateBytes() }],
			}),
		).rejects.toMatchObject({ code: "CONFLICT" });

		// A folder created with the top level's next state and its own first one.
		const id = randomUUID();
		const second = stateBytes();
		const own = stateBytes();
		await api.vault.createFolder({
			vaultId: vault.id,
			id,
			parentId: null,
			sealedName: sealed(),
			wrappedNodeKey: wrapped(),
			states: [
				{ folderId: null, seq: 2, sealedState: second },
				{ folderId: id, seq: 1, sealedState: own },
			],
		});
		expect(await api.vault.folderState(top)).toEqual({ seq: 2, sealedState: second });
		expect(await api.vault.folderState({ vaultId: vault.id, folderId: id })).toEqual({
			seq: 1,
			sealedState: own,
		});

		// A change sent with a stale state does not happen at all.
		const lost = randomUUID();
		await expect(
			api.vault.createFolder({
				vaultId: vault.id,
				id: lost,
				parentId: null,
				sealedName: sealed(),
				wrappedNodeKey: wrapped(),
				states: [{ folderId: null, seq: 2, sealedState: stateBytes() }],
			}),
		).rejects.toMatchObject({ code: "CONFLICT" });
		const listed = await api.vault.list({ vaultId: vault.id, parentId: null });
		expect(listed.map((node) => node.id)).toEqual([id]);
		await expect(
			api.vault.rename({
				id,
				sealedName: sealed(),
				states: [{ folderId: null, seq: 5, sealedState: stateBytes() }],
			}),
		).rejects.toMatchObject({ code: "CONFLICT" });
		expect((await api.vault.folderState(top))?.seq).toBe(2);

		// One state per folder per change.
		await expect(
			api.vault.trash({
				id,
				states: [
					{ folderId: null, seq: 3, sealedState: stateBytes() },
					{ folderId: null, seq: 3, sealedState: stateBytes() },
				],
			}),
		).rejects.toMatchObject({ code: "BAD_REQUEST" });
		await api.vault.trash({ id, states: [{ folderId: null, seq: 3, sealedState: stateBytes() }] });
		expect((await api.vault.folderState(top))?.seq).toBe(3);
	});

	it("stores a state on its own only as the successor, as when an old state is signed again", async () => {
		const { api, vault } = await userWithVault("sigrid");
		const top = { vaultId: vault.id, folderId: null };
		const save = (seq: number, sealedState = stateBytes()) =>
			api.vault.saveFolderState({
				vaultId: vault.id,
				states: [{ folderId: null, seq, sealedState }],
			});
		await save(1);
		// One that skips a number, or repeats the stored one, is refused; the next one is stored.
		await expect(save(3)).rejects.toMatchObject({ code: "CONFLICT" });
		await expect(save(1)).rejects.toMatchObject({ code: "CONFLICT" });
		const resigned = stateBytes();
		await save(2, resigned);
		expect(await api.vault.folderState(top)).toEqual({ seq: 2, sealedState: resigned });
	});

	it("keeps states to the vault's own folders and from everyone else", async () => {
		const owner = await userWithVault("orla");
		const other = await userWithVault("otto");
		const theirs = randomUUID();
		await other.api.vault.createFolder({
			vaultId: other.vault.id,
			id: theirs,
			parentId: null,
			sealedName: sealed(),
			wrappedNodeKey: wrapped(),
			states: [{ folderId: theirs, seq: 1, sealedState: stateBytes() }],
		});
		await expect(
			owner.api.vault.saveFolderState({
				vaultId: owner.vault.id,
				states: [{ folderId: theirs, seq: 1, sealedState: stateBytes() }],
			}),
		).rejects.toMatchObject({ code: "BAD_REQUEST" });
		await expect(
			owner.api.vault.folderState({ vaultId: other.vault.id, folderId: theirs }),
		).rejects.toMatchObject({ code: "NOT_FOUND" });
		await expect(
			owner.api.vault.saveFolderState({
				vaultId: other.vault.id,
				states: [{ folderId: theirs, seq: 1, sealedState: stateBytes() }],
			}),
		).rejects.toMatchObject({ code: "NOT_FOUND" });
		expect(
			(await other.api.vault.folderState({ vaultId: other.vault.id, folderId: theirs }))?.seq,
		).toBe(1);
	});

	it("drops the states of folders deleted for good", async () => {
		const { api, vault } = await userWithVault("dora");
		const parent = randomUUID();
		const child = randomUUID();
		for (const [id, parentId] of [
			[parent, null],
			[child, parent],
		] as const) {
			await api.vault.createFolder({
				vaultId: vault.id,
				id,
				parentId,
				sealedName: sealed(),
				wrappedNodeKey: wrapped(),
				states: [{ folderId: id, seq: 1, sealedState: stateBytes() }],
			});
		}
		await api.vault.trash({ id: parent });
		await api.vault.deleteForever({ id: parent });
		for (const folderId of [parent, child]) {
			expect(await api.vault.folderState({ vaultId: vault.id, folderId })).toBeNull();
		}
	});
});
