// Shares and links through the server to five real proxy nodes: a share made in the "browser"
// (client/sharing/share-core) for a person's identity keys is checked, its kfrags stored on the
// proxies, relayed re-encryption opens the NodeKey only for that person and only inside the
// shared folder; a link opens with its own keys, counts its download limit and reports its end;
// revocation and the expiry sweep forget the keys. The server never holds anything that opens.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	checkReceivedShare,
	openSharedNodeKey,
	prepareShare,
	signShareRequests,
	uuidBytes,
} from "../../../client/sharing/share-core";
import {
	fromBase64url,
	generateIdentityKeys,
	generateKey,
	generateSecp256k1Key,
	type IdentityKeys,
	importSecretKey,
	openBox,
	signPublicIdentity,
	toBase64url,
} from "../../../crypto";
import {
	deriveLinkKeys,
	deriveShareSigner,
	signLinkAccess,
	signShareRevocation,
} from "../../../crypto/sharing";
import { SecretKey } from "../../../crypto/umbral";
import { recordNodeRegistration } from "../../../server/coordinator/node-registry";
import { createShardGateway, type ShardGateway } from "../../../server/gateway/shard-gateway";
import {
	expireShares,
	linkVersions,
	openLink,
	relayLinkReencryption,
} from "../../../server/services/sharing/links";
import {
	chooseProxies,
	createShare,
	listOwnShares,
	listSharedFolder,
	listSharedWithMe,
	relayReencryption,
	requireActiveShareFor,
	revokeShare,
} from "../../../server/services/sharing/shares";
import { createContext } from "../../../server/trpc";
import { b64u, randomAccountKeys, signUp, TestBrowser } from "../../helpers/accounts";
import { setupTestDatabase } from "../../helpers/database";
import { TestNetwork } from "../../helpers/test-network";

const PROXIES = 5;
let network: TestNetwork;
let gateway: ShardGateway;

beforeAll(async () => {
	network = await TestNetwork.start(PROXIES);
	gateway = await createShardGateway({ signer: network.coordinator, client: network.client });
}, 180_000);
afterAll(async () => {
	await gateway?.stop();
	await network?.stop();
});

describe("sharing through the server and its proxies", () => {
	const database = setupTestDatabase("pglite");

	async function registerProxies() {
		const { db } = database.current;
		for (const [index, node] of network.nodes.entries()) {
			await recordNodeRegistration(db, {
				peerId: node.peerId.toString(),
				addresses: node.addresses.map(String),
				capacityBytes: 2 ** 30,
				encryptionPublicKey: await network.encryptionPublicKey(index),
			});
		}
	}

	/** A signed-up user with real identity keys, and a context that reaches the network. */
	async function person(name: string, now?: () => Date) {
		const { db } = database.current;
		let identity: IdentityKeys | undefined;
		const browser = new TestBrowser(db);
		const { user } = await signUp(browser, {
			handle: `${name}${randomBytes(3).toString("hex")}`,
			makeKeys: (userId) => {
				identity = generateIdentityKeys();
				return {
					...randomAccountKeys(userId),
					publicIdentity: b64u(signPublicIdentity(identity, { userId, createdAt: Date.now() })),
				};
			},
		});
		const ctx = {
			...createContext({ db, shardGateway: async () => gateway, ...(now ? { now } : {}) }),
			userId: user.id,
		};
		return { user, identity: identity as IdentityKeys, ctx, accountKey: generateKey("AccountKey") };
	}

	/** The owner's vault with a folder "Taxes" holding "2026" (folder) — ids only matter here. */
	async function ownerTree(ctx: Awaited<ReturnType<typeof person>>["ctx"]) {
		const vault = await ctx.db.vault.create({
			data: {
				id: randomUUID(),
				ownerId: ctx.userId,
				kind: "personal",
				wrappedVaultKey: randomBytes(105),
			},
		});
		const folder = (parentId: string | null) =>
			ctx.db.vaultNode.create({
				data: {
					id: randomUUID(),
					vaultId: vault.id,
					parentId,
					kind: "folder",
					sealedName: randomBytes(80),
					wrappedNodeKey: randomBytes(105),
				},
			});
		const taxes = await folder(null);
		const year = await folder(taxes.id);
		const elsewhere = await folder(null);
		return { vault, taxes, year, elsewhere };
	}

	const proxiesOf = async (ctx: Parameters<typeof chooseProxies>[0]) =>
		(await chooseProxies(ctx, { count: PROXIES })).map((proxy) => ({
			peerId: proxy.peerId,
			encryptionPublicKey: toBase64url(proxy.encryptionPublicKey),
		}));

	const toCreate = (
		prepared: ReturnType<typeof prepareShare>,
		extra: { nodeId: string; kind: "user" | "link"; recipientId?: string },
	) => ({
		...extra,
		id: prepared.id,
		capsule: fromBase64url(prepared.capsule),
		ciphertext: fromBase64url(prepared.ciphertext),
		policy: fromBase64url(prepared.policy),
		sealedShareKey: fromBase64url(prepared.sealedShareKey),
		kfrags: prepared.kfrags.map((kfrag) => ({
			peerId: kfrag.peerId,
			sealedKFrag: fromBase64url(kfrag.sealedKFrag),
		})),
	});

	it("opens a folder share only for its recipient, only inside the folder, until revoked", async () => {
		await registerProxies();
		const owner = await person("owner");
		const friend = await person("friend");
		const stranger = await person("stranger");
		const { taxes, year, elsewhere } = await ownerTree(owner.ctx);
		const nodeKey = generateKey("NodeKey");
		const expiresAt = Date.now() + 7 * 86_400_000;
		const prepared = prepareShare({
			owner: { userId: owner.user.id, accountKey: owner.accountKey },
			nodeKey,
			receivingPk: friend.identity.encryptionPublicKey,
			requesterPk: friend.identity.signingPublicKey,
			proxies: await proxiesOf(owner.ctx),
			expiresAt,
		});

		// A share made out to someone else's keys is refused before anything reaches a proxy.
		const forStranger = prepareShare({
			owner: { userId: owner.user.id, accountKey: owner.accountKey },
			nodeKey,
			receivingPk: stranger.identity.encryptionPublicKey,
			requesterPk: stranger.identity.signingPublicKey,
			proxies: await proxiesOf(owner.ctx),
			expiresAt,
		});
		await expect(
			createShare(
				owner.ctx,
				toCreate(forStranger, { nodeId: taxes.id, kind: "user", recipientId: friend.user.id }),
			),
		).rejects.toMatchObject({ code: "BAD_INPUT" });

		expect(
			await createShare(
				owner.ctx,
				toCreate(prepared, { nodeId: taxes.id, kind: "user", recipientId: friend.user.id }),
			),
		).toEqual({ id: prepared.id, proxies: PROXIES });

		const [received, ...more] = await listSharedWithMe(friend.ctx);
		expect(more).toEqual([]);
		expect(received?.node.id).toBe(taxes.id);
		expect(await listSharedWithMe(stranger.ctx)).toEqual([]);
		const share = {
			id: prepared.id,
			capsule: toBase64url(received?.capsule as Uint8Array),
			ciphertext: toBase64url(received?.ciphertext as Uint8Array),
			policy: toBase64url(received?.policy as Uint8Array),
			proxies: received?.proxies as string[],
		};
		const receivingSk = SecretKey.fromBytes(friend.identity.encryption.exportBytes());
		const policy = checkReceivedShare(share, receivingSk.publicKey());
		const results = await relayReencryption(
			friend.ctx,
			await requireActiveShareFor(friend.ctx, prepared.id),
			signShareRequests(share, friend.identity.signing).map(({ peerId, request }) => ({
				peerId,
				request: fromBase64url(request),
			})),
		);
		const cfrags = results.flatMap((result) => (result.cfrag ? [toBase64url(result.cfrag)] : []));
		expect(cfrags).toHaveLength(PROXIES);
		const opened = openSharedNodeKey(share, policy, receivingSk, cfrags);
		expect(Buffer.from(opened.exportBytes()).equals(Buffer.from(nodeKey.exportBytes()))).toBe(true);

		// Requests signed by someone else are refused by every proxy.
		const forged = await relayReencryption(
			friend.ctx,
			{ id: prepared.id },
			signShareRequests(share, stranger.identity.signing).map(({ peerId, request }) => ({
				peerId,
				request: fromBase64url(request),
			})),
		);
		expect(forged.map((result) => result.refused)).toEqual(
			Array(PROXIES).fill("BAD_REQUEST_SIGNATURE"),
		);

		// Inside the folder: its subfolder. Outside it, and for anyone else: nothing.
		expect(
			(await listSharedFolder(friend.ctx, { shareId: prepared.id, folderId: taxes.id })).map(
				(node) => node.id,
			),
		).toEqual([year.id]);
		await expect(
			listSharedFolder(friend.ctx, { shareId: prepared.id, folderId: elsewhere.id }),
		).rejects.toMatchObject({ code: "NOT_FOUND" });
		await expect(
			listSharedFolder(stranger.ctx, { shareId: prepared.id, folderId: taxes.id }),
		).rejects.toMatchObject({ code: "NOT_FOUND" });

		// A revocation must be signed by the share's own key: another key is refused.
		const revocation = (signer: ReturnType<typeof deriveShareSigner>) =>
			signShareRevocation({ shareId: uuidBytes(prepared.id), revokedAt: Date.now() }, signer);
		await expect(
			revokeShare(owner.ctx, {
				id: prepared.id,
				revocation: revocation(deriveShareSigner(generateSecp256k1Key("ShareKey"))),
			}),
		).rejects.toMatchObject({ code: "BAD_INPUT" });
		// The owner opens the ShareKey sealed under their AccountKey and revokes for real.
		const [mine] = await listOwnShares(owner.ctx);
		const shareKey = importSecretKey(
			"ShareKey",
			openBox({
				key: owner.accountKey,
				purpose: "share-key",
				boundTo: { user: owner.user.id, share: prepared.id },
				box: mine?.sealedShareKey as Uint8Array,
			}),
		);
		expect(
			await revokeShare(owner.ctx, {
				id: prepared.id,
				revocation: revocation(deriveShareSigner(shareKey)),
			}),
		).toEqual({ proxiesReached: PROXIES });
		await expect(requireActiveShareFor(friend.ctx, prepared.id)).rejects.toMatchObject({
			code: "NOT_FOUND",
		});
		expect(await listSharedWithMe(friend.ctx)).toEqual([]);
		// The proxies deleted their kfrags: even a well-signed request straight to one is refused.
		const [direct] = signShareRequests(share, friend.identity.signing);
		const proxy = network.nodes.find((node) => node.peerId.toString() === direct?.peerId);
		await expect(
			gateway.requestCFrag(
				{ peerId: direct?.peerId as string, addresses: (proxy?.addresses ?? []).map(String) },
				fromBase64url(direct?.request as string),
			),
		).rejects.toMatchObject({ name: "ShareRevokedError" });
		const row = await owner.ctx.db.share.findUniqueOrThrow({ where: { id: prepared.id } });
		expect([row.state, row.capsule, row.policy, row.sealedShareKey]).toEqual([
			"revoked",
			null,
			null,
			null,
		]);
	}, 120_000);

	it("serves a link to whoever holds its keys, counts its download limit and reports its end", async () => {
		await registerProxies();
		const now = Date.now();
		const owner = await person("linker", () => new Date(now));
		const { taxes } = await ownerTree(owner.ctx);
		const file = await owner.ctx.db.vaultNode.create({
			data: {
				id: randomUUID(),
				vaultId: taxes.vaultId,
				parentId: taxes.id,
				kind: "file",
				sealedName: randomBytes(80),
				wrappedNodeKey: randomBytes(105),
			},
		});
		const linkId = randomUUID();
		const secret = new Uint8Array(randomBytes(32));
		const keys = deriveLinkKeys(secret, linkId);
		const nodeKey = generateKey("NodeKey");
		const link = prepareShare({
			id: linkId,
			owner: { userId: owner.user.id, accountKey: owner.accountKey },
			nodeKey,
			receivingPk: keys.receivingPk.toBytes(),
			requesterPk: keys.requesterPk,
			proxies: await proxiesOf(owner.ctx),
			expiresAt: now + 86_400_000,
			useLimit: 1,
		});
		await createShare(owner.ctx, toCreate(link, { nodeId: file.id, kind: "link" }));
		const anonymous = createContext({
			db: owner.ctx.db,
			shardGateway: async () => gateway,
			now: () => new Date(now),
		});
		const opened = await openLink(anonymous, { id: link.id });
		expect(opened.state).toBe("active");
		const view = "link" in opened && opened.link ? opened.link : undefined;
		const share = {
			id: link.id,
			capsule: toBase64url(view?.capsule as Uint8Array),
			ciphertext: toBase64url(view?.ciphertext as Uint8Array),
			policy: toBase64url(view?.policy as Uint8Array),
			proxies: view?.proxies as string[],
		};
		const requests = () =>
			signShareRequests(share, keys.requester, now).map(({ peerId, request }) => ({
				peerId,
				request: fromBase64url(request),
			}));
		const first = await relayLinkReencryption(anonymous, { id: link.id, requests: requests() });
		const cfrags = first.flatMap((result) => (result.cfrag ? [toBase64url(result.cfrag)] : []));
		const policy = checkReceivedShare(share, keys.receivingPk);
		expect(
			Buffer.from(openSharedNodeKey(share, policy, keys.receivingSk, cfrags).exportBytes()).equals(
				Buffer.from(nodeKey.exportBytes()),
			),
		).toBe(true);

		// Versions need a fresh proof of the link's key; a proof by another key is refused.
		expect(
			await linkVersions(anonymous, {
				id: link.id,
				proof: signLinkAccess(link.id, now, keys.requester),
			}),
		).toEqual([]);
		const other = deriveLinkKeys(new Uint8Array(randomBytes(32)), link.id);
		await expect(
			linkVersions(anonymous, {
				id: link.id,
				proof: signLinkAccess(link.id, now, other.requester),
			}),
		).rejects.toMatchObject({ code: "FORBIDDEN" });

		// The limit of one download is reached: the proxies refuse, the link records its end.
		const second = await relayLinkReencryption(anonymous, { id: link.id, requests: requests() });
		expect(second.map((result) => result.refused)).toEqual(
			Array(PROXIES).fill("USE_LIMIT_REACHED"),
		);
		expect((await openLink(anonymous, { id: link.id })).state).toBe("exhausted");
		const row = await owner.ctx.db.share.findUniqueOrThrow({ where: { id: link.id } });
		expect([row.capsule, row.ciphertext, row.policy, row.sealedShareKey]).toEqual([
			null,
			null,
			null,
			null,
		]);
		expect((await openLink(anonymous, { id: randomUUID() })).state).toBe("missing");
		expect((await listOwnShares(owner.ctx)).map((share) => share.state)).toEqual(["exhausted"]);
	}, 120_000);

	it("the sweep expires shares whose time is up and the link page says so", async () => {
		await registerProxies();
		let now = Date.now();
		const owner = await person("sweeper", () => new Date(now));
		const friend = await person("friend");
		const { taxes } = await ownerTree(owner.ctx);
		const prepared = prepareShare({
			owner: { userId: owner.user.id, accountKey: owner.accountKey },
			nodeKey: generateKey("NodeKey"),
			receivingPk: friend.identity.encryptionPublicKey,
			requesterPk: friend.identity.signingPublicKey,
			proxies: await proxiesOf(owner.ctx),
			expiresAt: now + 60_000,
		});
		await createShare(
			owner.ctx,
			toCreate(prepared, { nodeId: taxes.id, kind: "user", recipientId: friend.user.id }),
		);
		expect(await expireShares(owner.ctx)).toBe(0);
		now += 61_000;
		expect(await expireShares(owner.ctx)).toBe(1);
		const row = await owner.ctx.db.share.findUniqueOrThrow({ where: { id: prepared.id } });
		expect(row.state).toBe("expired");
		expect(row.policy).toBeNull();
		expect(await owner.ctx.db.shareProxy.count({ where: { shareId: prepared.id } })).toBe(0);
		expect(await listSharedWithMe(friend.ctx)).toEqual([]);
	}, 120_000);
});
