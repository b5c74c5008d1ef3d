// Sharing with a person, end to end below the browser: the browser's own client code
// (client/sharing) talks to the real tRPC handler over fetch, and the server stores kfrags on
// real storage-node processes acting as proxies — four honest ones and one that returns
// tampered capsule fragments. The recipient opens a shared folder and the folders below it; the
// tampered fragment is skipped; another person can neither see the share nor open it with their
// keys; with too few honest proxies the recipient gets a typed error, never a wrong key.
import { randomBytes } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { UnlockedKeys } from "../../../client/account/account-keys";
import { checkIdentity } from "../../../client/account/identity-pins";
import type { UnlockedAccount } from "../../../client/account/unlocked-account";
import { apiErrorCode, createApiClient } from "../../../client/api";
import {
	checkReceivedShare,
	openSharedNodeKey,
	type ReceivedShare,
	signShareRequests,
} from "../../../client/sharing/share-core";
import { shareExpiry, shareWithPerson } from "../../../client/sharing/share-with-person";
import {
	listSharedFolder,
	listSharedWithMe,
	type OpenedShare,
	openShareKey,
	type ShareWithMe,
} from "../../../client/sharing/shared-with-me";
import { openFolderState, sealFolderState } from "../../../client/vault/folder-state";
import { createFolder, listFolder, type VaultItem } from "../../../client/vault/folder-tree";
import { openPersonalVault } from "../../../client/vault/personal-vault";
import {
	fromBase64url,
	generateIdentityKeys,
	generateKey,
	type NodeKey,
	signPublicIdentity,
	toBase64url,
} from "../../../crypto";
import { SecretKey } from "../../../crypto/umbral";
import { recordNodeRegistration } from "../../../server/coordinator/node-registry";
import { createShardGateway, type ShardGateway } from "../../../server/gateway/shard-gateway";
import { appRouter } from "../../../server/root";
import { createContext } from "../../../server/trpc";
import { b64u, randomAccountKeys, signUp, TestBrowser } from "../../helpers/accounts";
import { setupTestDatabase } from "../../helpers/database";
import { sealUnsignedFolderState } from "../../helpers/folder-states";
import { TestNetwork } from "../../helpers/test-network";
import { installLocalStorage } from "../../helpers/web-storage";

const HONEST = 4;
let network: TestNetwork;
let gateway: ShardGateway;
let liarIndex: number;
const realFetch = globalThis.fetch;
/** Each test browser answers at its own host name, so its cookie jar goes with its requests. */
const browsers = new Map<string, TestBrowser>();
let uninstallStorage: () => void;

const database = setupTestDatabase("pglite");

beforeAll(async () => {
	network = await TestNetwork.start(HONEST);
	liarIndex = (await network.addNode({ faults: ["wrong-cfrags"] })).index;
	gateway = await createShardGateway({ signer: network.coordinator, client: network.client });
	for (const node of network.nodes) {
		await recordNodeRegistration(database.current.db, {
			peerId: node.peerId.toString(),
			addresses: node.addresses.map(String),
			capacityBytes: 2 ** 30,
			encryptionPublicKey: await network.encryptionPublicKey(node.index),
		});
	}
	uninstallStorage = installLocalStorage();
	globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
		const request = new Request(input, init);
		const browser = browsers.get(new URL(request.url).host);
		if (!browser) throw new TypeError(`no test browser at ${request.url}`);
		return fetchRequestHandler({
			endpoint: "/api/trpc",
			req: request,
			router: appRouter,
			createContext: () =>
				createContext({
					db: database.current.db,
					headers: request.headers,
					transport: "http",
					cookies: browser.cookies,
					shardGateway: async () => gateway,
				}),
		});
	}) as typeof fetch;
}, 120_000);

afterAll(async () => {
	globalThis.fetch = realFetch;
	uninstallStorage?.();
	await gateway?.stop();
	await network?.stop();
});

/** A signed-up person with real identity keys, and the browser's API client for them. */
async function person(name: string) {
	const browser = new TestBrowser(database.current.db);
	const identity = generateIdentityKeys();
	let publicIdentity: Uint8Array | undefined;
	const { user } = await signUp(browser, {
		handle: `${name}${randomBytes(3).toString("hex")}`,
		displayName: name,
		makeKeys: (userId) => {
			const signed = signPublicIdentity(identity, { userId, createdAt: Date.now() });
			publicIdentity = signed;
			return { ...randomAccountKeys(userId), publicIdentity: b64u(signed) };
		},
	});
	const keys: UnlockedKeys = {
		userId: user.id,
		accountKey: generateKey("AccountKey"),
		identity,
		publicIdentity: publicIdentity as UnlockedKeys["publicIdentity"],
		forget() {},
	};
	const host = `${name.toLowerCase()}-${randomBytes(3).toString("hex")}.test`;
	browsers.set(host, browser);
	const account: UnlockedAccount = {
		user: { id: user.id, handle: user.handle, displayName: name },
		keys,
	};
	return { account, keys, handle: user.handle, api: createApiClient(`http://${host}`) };
}

type Person = Awaited<ReturnType<typeof person>>;

/** Alice's folder Taxes/2026/Receipts, shared with Bob. */
async function sharedFolder(alice: Person, bob: Person) {
	const vault = await openPersonalVault(alice.api, alice.keys);
	const taxes = await createFolder(alice.api, vault, { id: null, key: vault.key }, "Taxes");
	const year = await createFolder(alice.api, vault, taxes, "2026");
	await createFolder(alice.api, vault, year, "Receipts");
	const recipient = await checkIdentity(alice.api, alice.keys, bob.handle);
	const { id, proxies } = await shareWithPerson(alice.api, alice.account, {
		item: { id: taxes.id, key: taxes.key as NodeKey },
		recipient,
		expiresAt: shareExpiry(undefined),
	});
	return { shareId: id, proxies, taxes };
}

async function shareOf(bob: Person, shareId: string): Promise<ShareWithMe> {
	const share = (await bob.api.shares.withMe.query()).find((entry) => entry.id === shareId);
	if (!share) throw new Error("share not listed");
	return share;
}

const received = (share: ShareWithMe): ReceivedShare => ({
	id: share.id,
	capsule: share.capsule,
	ciphertext: share.ciphertext,
	policy: share.policy,
	proxies: share.proxies,
});

describe("sharing a folder with a person", () => {
	it("opens the shared folder and the folders below it, skipping the proxy that lies", async () => {
		const alice = await person("Alice");
		const bob = await person("Bob");
		const { shareId, proxies } = await sharedFolder(alice, bob);
		expect(proxies).toBe(HONEST + 1);

		const { opened, unopened } = await listSharedWithMe(bob.api, bob.keys);
		expect(unopened).toEqual([]);
		expect(opened).toHaveLength(1);
		const [share] = opened;
		expect(share?.item).toMatchObject({ kind: "folder", name: "Taxes" });
		expect(share?.owner).toMatchObject({ handle: alice.handle, status: "new" });
		// The liar's fragment was among the answers: one of five did not verify.
		const results = await bob.api.shares.reencrypt.mutate({
			shareId,
			requests: signShareRequests(received(share?.share as ShareWithMe), bob.keys.identity.signing),
		});
		expect(results.filter((result) => result.cfrag)).toHaveLength(HONEST + 1);
		const liar = network.nodes[liarIndex]?.peerId.toString();
		expect(results.map((result) => result.peerId)).toContain(liar);

		const top = await listSharedFolder(
			bob.api,
			share as OpenedShare,
			share?.item as OpenedShare["item"],
		);
		expect(top.unverifiable).toEqual([]);
		expect(top.items.map((item) => item.name)).toEqual(["2026"]);
		const below = await listSharedFolder(bob.api, share as OpenedShare, top.items[0] as VaultItem);
		expect(below.items.map((item) => item.name)).toEqual(["Receipts"]);
	});

	it("cannot be seen, asked for or opened by another person, even with the recipient's fragments", async () => {
		const alice = await person("Alice");
		const bob = await person("Bob");
		const carol = await person("Carol");
		const { shareId, taxes } = await sharedFolder(alice, bob);
		const share = await shareOf(bob, shareId);

		expect(await carol.api.shares.withMe.query()).toEqual([]);
		const asked = await carol.api.shares.reencrypt
			.mutate({
				shareId,
				requests: signShareRequests(received(share), carol.keys.identity.signing),
			})
			.catch((error: unknown) => error);
		expect(apiErrorCode(asked)).toBe("NOT_FOUND");
		const listed = await carol.api.shares.children
			.query({ shareId, folderId: taxes.id })
			.catch((error: unknown) => error);
		expect(apiErrorCode(listed)).toBe("NOT_FOUND");

		// Handed Bob's share (a server that leaks it), Carol's browser refuses it as not hers.
		await expect(openShareKey(carol.api, carol.keys, share)).rejects.toMatchObject({
			name: "ShareNotForMeError",
		});
		// Even holding the fragments the proxies made for Bob, her secret key does not open it.
		const results = await bob.api.shares.reencrypt.mutate({
			shareId,
			requests: signShareRequests(received(share), bob.keys.identity.signing),
		});
		const cfrags = results.flatMap((result) => (result.cfrag ? [result.cfrag] : []));
		const policy = checkReceivedShare(received(share), bobReceivingKey(bob));
		expect(() =>
			openSharedNodeKey(
				received(share),
				policy,
				SecretKey.fromBytes(carol.keys.identity.encryption.exportBytes()),
				cfrags,
			),
		).toThrow(/do not open the capsule|decrypt/i);
		// And the proxies refuse requests Carol signs: only Bob's key may ask.
		const forged = await gateway
			.requestCFrag(
				proxyTarget(share.proxies[0] as string),
				Buffer.from(
					signShareRequests(received(share), carol.keys.identity.signing)[0]?.request as string,
					"base64url",
				),
			)
			.catch((error: unknown) => error);
		expect(forged).toMatchObject({ statusName: "BAD_REQUEST_SIGNATURE" });
	});

	it("checks a shared folder's listing against the owner's sealed state of it", async () => {
		const alice = await person("Alice");
		const bob = await person("Bob");
		const { taxes } = await sharedFolder(alice, bob);
		const { opened } = await listSharedWithMe(bob.api, bob.keys);
		const shared = opened[0] as OpenedShare;
		const item = shared.item;
		const honest = await listSharedFolder(bob.api, shared, item);
		expect(honest).toMatchObject({ omitted: 0, unverifiable: [] });
		const [year] = honest.items as [VaultItem];

		// A server that hides an item (here: marks it trashed behind the owner's back).
		const db = database.current.db;
		await db.vaultNode.update({ where: { id: year.id }, data: { trashedAt: new Date() } });
		const hidden = await listSharedFolder(bob.api, shared, item);
		expect(hidden).toMatchObject({ items: [], omitted: 1 });
		await db.vaultNode.update({ where: { id: year.id }, data: { trashedAt: null } });

		// The owner adds a folder; a server that then serves the folder's older state is caught.
		const { vaultId } = await db.vaultNode.findUniqueOrThrow({ where: { id: taxes.id } });
		const where = { vaultId_folderId: { vaultId, folderId: taxes.id } };
		const older = await db.folderState.findUniqueOrThrow({ where });
		const vault = await openPersonalVault(alice.api, alice.keys);
		await createFolder(alice.api, vault, taxes, "2027");
		const newer = await listSharedFolder(bob.api, shared, item);
		expect(newer.items.map((entry) => entry.name).sort()).toEqual(["2026", "2027"]);
		await db.folderState.update({
			where,
			data: { seq: older.seq, sealedState: older.sealedState },
		});
		await expect(listSharedFolder(bob.api, shared, item)).rejects.toMatchObject({
			name: "FolderStateError",
			message: expect.stringMatching(/as it was earlier/),
		});
	});

	it("refuses a folder state forged by the person it is shared with, even stored by the server", async () => {
		const alice = await person("Alice");
		const bob = await person("Bob");
		const { taxes } = await sharedFolder(alice, bob);
		const vault = await openPersonalVault(alice.api, alice.keys);
		const { opened } = await listSharedWithMe(bob.api, bob.keys);
		const shared = opened[0] as OpenedShare;
		expect(await listFolder(alice.api, vault, taxes)).toMatchObject({ omitted: 0 });

		// Bob holds the folder's key through the share, so he can seal a state under it; a
		// server on his side stores it as the folder's next one.
		const db = database.current.db;
		const where = { vaultId_folderId: { vaultId: vault.id, folderId: taxes.id } };
		const stored = await db.folderState.findUniqueOrThrow({ where });
		const binding = { vaultId: vault.id, folderId: taxes.id };
		const state = openFolderState(
			{ seq: stored.seq, sealedState: toBase64url(stored.sealedState) },
			shared.item.key,
			binding,
			alice.keys.identity.signingPublicKey,
		);
		const next = { seq: state.seq + 1, entries: new Map() };
		const serve = (sealedState: string) =>
			db.folderState.update({
				where,
				data: { seq: next.seq, sealedState: new Uint8Array(fromBase64url(sealedState)) },
			});

		// Signed with his own key (here: emptying the folder): Alice's browser and his refuse it.
		await serve(sealFolderState(next, shared.item.key, binding, bob.keys.identity.signing));
		const refused = {
			name: "FolderStateError",
			message: expect.stringMatching(/not signed by its owner/),
		};
		await expect(listFolder(alice.api, vault, taxes)).rejects.toMatchObject(refused);
		await expect(listSharedFolder(bob.api, shared, shared.item)).rejects.toMatchObject(refused);

		// Unsigned, as states were saved before they were signed: refused where a signed one was seen.
		await serve(sealUnsignedFolderState(next, shared.item.key, binding));
		await expect(listFolder(alice.api, vault, taxes)).rejects.toMatchObject({
			name: "FolderStateError",
			message: expect.stringMatching(/no longer signed by its owner/),
		});

		// The owner's own state, served again, still verifies.
		await db.folderState.update({
			where,
			data: { seq: stored.seq, sealedState: stored.sealedState },
		});
		expect(await listFolder(alice.api, vault, taxes)).toMatchObject({ omitted: 0 });
	});

	it("has its owner sign again a folder state saved before states were signed", async () => {
		const alice = await person("Alice");
		const bob = await person("Bob");
		const { taxes } = await sharedFolder(alice, bob);
		const vault = await openPersonalVault(alice.api, alice.keys);
		const db = database.current.db;
		const where = { vaultId_folderId: { vaultId: vault.id, folderId: taxes.id } };
		const binding = { vaultId: vault.id, folderId: taxes.id };
		const ownerKey = alice.keys.identity.signingPublicKey;
		const opened = async () => {
			const row = await db.folderState.findUniqueOrThrow({ where });
			const sealed = { seq: row.seq, sealedState: toBase64url(row.sealedState) };
			return openFolderState(sealed, taxes.key, binding, ownerKey);
		};
		// The folder's state as an earlier version of Coffre saved it: unsigned (version 1).
		const current = await opened();
		const old = { seq: current.seq + 1, entries: current.entries };
		const unsigned = fromBase64url(sealUnsignedFolderState(old, taxes.key, binding));
		await db.folderState.update({
			where,
			data: { seq: old.seq, sealedState: new Uint8Array(unsigned) },
		});

		// A browser that never saw the folder's signed state (another device) lists it: the
		// listing verifies against the old state, and the same contents are signed again.
		const uninstall = installLocalStorage();
		try {
			vi.resetModules();
			const device = await import("../../../client/vault/folder-tree");
			const listing = await device.listFolder(alice.api, vault, taxes);
			expect(listing).toMatchObject({ omitted: 0, unverifiable: [] });
			expect(listing.items.map((item) => item.name)).toEqual(["2026"]);
		} finally {
			uninstall();
		}
		const signed = await opened();
		expect(signed).toMatchObject({ seq: old.seq + 1, signed: true });
		expect([...signed.entries.keys()].sort()).toEqual([...old.entries.keys()].sort());
		// The recipient's listing verifies the owner's signature on it.
		const shared = (await listSharedWithMe(bob.api, bob.keys)).opened[0] as OpenedShare;
		expect(await listSharedFolder(bob.api, shared, shared.item)).toMatchObject({ omitted: 0 });
	});

	it("refuses with a typed error when fewer than t proxies answer correctly", async () => {
		const alice = await person("Alice");
		const bob = await person("Bob");
		const { shareId } = await sharedFolder(alice, bob);
		const share = await shareOf(bob, shareId);
		// Two honest proxies down: two valid fragments and the liar's, of the three needed.
		await network.kill(0);
		await network.kill(1);
		const failure = await openShareKey(bob.api, bob.keys, share).catch((error: unknown) => error);
		expect(failure).toMatchObject({
			name: "ShareUnavailableError",
			valid: 2,
			threshold: 3,
			rejected: 1,
		});
		expect((failure as Error).message).toMatch(/Only 2 of the 3/);
	});
});

function bobReceivingKey(bob: Person) {
	return SecretKey.fromBytes(bob.keys.identity.encryption.exportBytes()).publicKey();
}

function proxyTarget(peerId: string) {
	const node = network.nodes.find((entry) => entry.peerId.toString() === peerId);
	if (!node) throw new Error(`no node ${peerId}`);
	return { peerId, addresses: node.addresses.map(String) };
}
