// What a browser makes of the folder states the server hands back, when its own changes race
// its own questions (DESIGN §9.3 rollback detection): an answer that left the server before
// this tab saved a newer state of the folder is out of date, not a rollback — it is accepted
// as the folder was a moment ago — while the same answer to a question asked afterwards is
// refused as a rollback. The server here is a stand-in whose answers the test releases: the
// interleaving cannot be caused on demand through the real one.
import { describe, expect, it } from "vitest";
import type { ApiClient } from "../../client/api";
import { FolderStateError, sealFolderState } from "../../client/vault/folder-state";
import {
	changeFolders,
	loadFolderState,
	saveFirstFolderState,
} from "../../client/vault/folder-sync";
import type { FolderRef } from "../../client/vault/folder-tree";
import type { OpenVault } from "../../client/vault/personal-vault";
import { generateIdentityKeys, generateKey } from "../../crypto";

type Sealed = { seq: number; sealedState: string } | null;

/** A vault with one folder, and a stand-in server whose folder-state answers wait to be released. */
function setup() {
	const owner = generateIdentityKeys();
	const vault = { id: crypto.randomUUID(), key: generateKey("VaultKey"), owner } as OpenVault;
	const folder: FolderRef = { id: crypto.randomUUID(), key: generateKey("NodeKey") };
	const sealed = (seq: number): Sealed => ({
		seq,
		sealedState: sealFolderState(
			{ seq, entries: new Map() },
			folder.key as never,
			{ vaultId: vault.id, folderId: folder.id as string },
			owner.signing,
		),
	});
	const answers: { resolve: (value: Sealed) => void }[] = [];
	const api = {
		vault: {
			folderState: {
				query: () =>
					new Promise<Sealed>((resolve) => {
						answers.push({ resolve });
					}),
			},
			saveFolderState: { mutate: async () => ({ ok: true }) },
		},
	} as unknown as ApiClient;
	/** Waits until `waiting` questions reached the stand-in, and answers the one asked `which`. */
	const answer = async (value: Sealed, { waiting = 1, which = "first" } = {}) => {
		await expect.poll(() => answers.length).toBeGreaterThanOrEqual(waiting);
		const next = which === "first" ? answers.shift() : answers.pop();
		next?.resolve(value);
	};
	const answerNext = (value: Sealed) => answer(value);
	return { api, vault, folder, sealed, answer, answerNext };
}

describe("folder states and this tab's own changes", () => {
	it("takes a missing state asked for before this tab saved the first one as out of date", async () => {
		const { api, vault, folder, answerNext } = setup();
		const early = loadFolderState(api, vault, folder);
		// The first state is saved while the question is on its way; its answer predates it.
		await saveFirstFolderState(api, vault, folder, []);
		await answerNext(null);
		await expect(early).resolves.toBeNull();
		// Asked after the save, the same answer is a state gone missing.
		const late = loadFolderState(api, vault, folder);
		await answerNext(null);
		await expect(late).rejects.toBeInstanceOf(FolderStateError);
	});

	it("takes an older state asked for before this tab's change as out of date, later as a rollback", async () => {
		const { api, vault, folder, sealed, answer, answerNext } = setup();
		const first = loadFolderState(api, vault, folder);
		await answerNext(sealed(1));
		expect((await first)?.seq).toBe(1);
		const early = loadFolderState(api, vault, folder);
		// A change of the folder (seq 1 → 2) saved while `early` waits for its answer.
		const change = changeFolders(
			api,
			vault,
			[{ folder, apply: () => undefined, currentEntries: async () => [] }],
			async (states) => states,
		);
		// The change's own question, asked after `early`'s, is answered first.
		await answer(sealed(1), { waiting: 2, which: "last" });
		expect((await change).map((state) => state.seq)).toEqual([2]);
		await answerNext(sealed(1));
		expect((await early)?.seq).toBe(1);
		const late = loadFolderState(api, vault, folder);
		await answerNext(sealed(1));
		await expect(late).rejects.toThrow(/as it was earlier/);
	});
});
