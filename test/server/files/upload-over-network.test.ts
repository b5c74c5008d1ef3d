// Uploading and downloading a file version through the gateway to real storage-node processes:
// a node that dies before its shard arrives and another that dies after storing leave the
// version committable at k + 1 shards, and the chunk downloads with n − k nodes down; a shard
// whose node is down goes to a free node, and its placement row follows it.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STREAM_TAG_BYTES } from "../../../crypto";
import { shardRoot } from "../../../crypto/merkle";
import { createErasureCoder, joinShards, splitIntoShards } from "../../../p2p/erasure";
import { hasShard } from "../../../p2p/protocols/shard/client";
import { recordNodeRegistration } from "../../../server/coordinator/node-registry";
import { createShardGateway, type ShardGateway } from "../../../server/gateway/shard-gateway";
import {
	abandonUpload,
	commitVersion,
	fetchChunkShards,
	fetchShard,
	listPendingUploads,
	placeChunk,
	startUpload,
	storeChunkShards,
	uploadState,
} from "../../../server/services/files/uploads";
import { deleteNode, trashNode } from "../../../server/services/vault/nodes";
import { createContext } from "../../../server/trpc";
import { b64u, signUp, TestBrowser } from "../../helpers/accounts";
import { setupTestDatabase } from "../../helpers/database";
import { TestNetwork } from "../../helpers/test-network";

const K = 4;
/** Reading as the file's owner. */
const owned = (ctx: { userId: string }) => ({ via: "owner" as const, userId: ctx.userId });
const M = 2;
let network: TestNetwork;
let gateway: ShardGateway;

beforeAll(async () => {
	network = await TestNetwork.start(K + M);
	gateway = await createShardGateway({ signer: network.coordinator, client: network.client });
}, 120_000);
afterAll(async () => {
	await gateway?.stop();
	await network?.stop();
});

describe("file versions over the storage network", () => {
	const database = setupTestDatabase("pglite");

	async function owner() {
		const { db } = database.current;
		for (const node of network.nodes) {
			await recordNodeRegistration(db, {
				peerId: node.peerId.toString(),
				addresses: node.addresses.map(String),
				capacityBytes: 2 ** 30,
				encryptionPublicKey: new Uint8Array(randomBytes(33)),
			});
		}
		const browser = new TestBrowser(db);
		const { user } = await signUp(browser);
		const vault = await browser.api.vault.createPersonal({
			id: randomUUID(),
			wrappedVaultKey: b64u(randomBytes(105)),
		});
		const session = await db.session.findFirstOrThrow({ where: { userId: user.id } });
		const ctx = {
			...createContext({ db }),
			userId: user.id,
			session: { id: session.id, userId: user.id, createdAt: session.createdAt },
		};
		return { ctx, vault };
	}

	/**
	 * An owner whose uploads reach the gateway, with every node back up and only honest nodes
	 * eligible for placement.
	 */
	async function ownerOnHonestNodes() {
		for (const node of network.nodes) if (node.process === null) await network.restart(node.index);
		const { ctx: base, vault } = await owner();
		const ctx = { ...base, shardGateway: async () => gateway };
		await ctx.db.storageNode.updateMany({ data: { status: "vetting" } });
		await ctx.db.storageNode.updateMany({
			where: {
				peerId: {
					in: network.nodes
						.filter((node) => node.options.faults?.length)
						.map((node) => node.peerId.toString()),
				},
			},
			data: { status: "suspended" },
		});
		return { ctx, vault };
	}

	/** Starts a one-chunk version of a new file and erasure-codes `sealedChunk` for it. */
	async function oneChunkVersion(
		ctx: Awaited<ReturnType<typeof owner>>["ctx"],
		vaultId: string,
		sealedChunk: Uint8Array,
	) {
		const coder = createErasureCoder({ dataShards: K, parityShards: M });
		const dataShards = splitIntoShards(sealedChunk, K);
		const shards = [...dataShards, ...coder.encode(dataShards)];
		const roots = shards.map((shard) => new Uint8Array(shardRoot(shard)));
		const fileId = randomUUID();
		const versionId = randomUUID();
		await startUpload(ctx, {
			vaultId,
			fileId,
			parentId: null,
			newFile: {
				sealedName: new Uint8Array(randomBytes(90)),
				wrappedNodeKey: new Uint8Array(randomBytes(105)),
			},
			versionId,
			sealedUploadState: new Uint8Array(randomBytes(120)),
			// The plaintext size whose one sealed chunk is `sealedChunk` (plaintext + AES-GCM tag).
			size: sealedChunk.length - STREAM_TAG_BYTES,
			chunkSize: 4 * 2 ** 20,
			chunkCount: 1,
			dataShards: K,
			parityShards: M,
		});
		const place = () =>
			placeChunk(ctx, {
				versionId,
				chunkIndex: 0,
				shards: shards.map((shard, i) => ({
					root: roots[i] as Uint8Array<ArrayBuffer>,
					size: shard.length,
				})),
			});
		return { coder, shards, roots, fileId, versionId, place };
	}

	/**
	 * A chunk PUT's body: the shards one after another, in pieces of `piece` bytes that run
	 * across shard boundaries (as an HTTP body arrives); `cutAt` ends it early.
	 */
	function bodyOf(shards: Uint8Array[], { piece = 50_000, cutAt = Number.POSITIVE_INFINITY } = {}) {
		const all = Buffer.concat(shards);
		const end = Math.min(all.length, cutAt);
		let offset = 0;
		return new ReadableStream<Uint8Array>({
			pull(controller) {
				if (offset >= end) return controller.close();
				controller.enqueue(new Uint8Array(all.subarray(offset, Math.min(end, offset + piece))));
				offset += piece;
			},
		});
	}

	const lengthOf = (shards: Uint8Array[]) => shards.reduce((sum, shard) => sum + shard.length, 0);

	/** All shards of chunk 0 in one request, as the browser sends them. */
	function storeWholeChunk(
		ctx: Parameters<typeof storeChunkShards>[0],
		versionId: string,
		shards: Uint8Array[],
	) {
		return storeChunkShards(ctx, gateway, {
			versionId,
			chunkIndex: 0,
			shardIndices: shards.map((_, shardIndex) => shardIndex),
			length: lengthOf(shards),
			body: bodyOf(shards),
		});
	}

	/** One shard sent alone in a chunk PUT; throws the reason it was not stored. */
	async function storeOneShard(
		ctx: Parameters<typeof storeChunkShards>[0],
		shard: { versionId: string; chunkIndex: number; shardIndex: number; data: Uint8Array },
	) {
		const [outcome] = await storeChunkShards(ctx, gateway, {
			versionId: shard.versionId,
			chunkIndex: shard.chunkIndex,
			shardIndices: [shard.shardIndex],
			length: shard.data.length,
			body: bodyOf([shard.data]),
		});
		if (!outcome?.stored) throw outcome?.error;
		return outcome;
	}

	it("commits with k + 1 shards when nodes die mid-upload, and downloads with n − k nodes down", async () => {
		const { ctx, vault } = await owner();
		const sealedChunk = new Uint8Array(randomBytes(300_000));
		const { coder, shards, versionId, place } = await oneChunkVersion(ctx, vault.id, sealedChunk);
		const placements = await place();
		expect(new Set(placements.map((placement) => placement.peerId)).size).toBe(K + M);
		const nodeIndex = (peerId: string) =>
			network.nodes.findIndex((node) => node.peerId.toString() === peerId);

		// The node of the last shard dies before it arrives: no other node is free for it. The
		// chunk's shards go in one request, as the browser sends them.
		await network.kill(nodeIndex(placements[K + M - 1]?.peerId as string));
		const outcomes = await storeWholeChunk(ctx, versionId, shards);
		expect(outcomes.map((outcome) => outcome.stored)).toEqual([
			true,
			true,
			true,
			true,
			true,
			false,
		]);
		expect(outcomes[K + M - 1]).toMatchObject({ stored: false, error: { code: "UNAVAILABLE" } });
		expect(outcomes[0]).toMatchObject({ shardIndex: 0, peerId: placements[0]?.peerId });
		// Another node dies after storing its shard: n − k = 2 nodes are now down.
		await network.kill(nodeIndex(placements[0]?.peerId as string));

		await commitVersion(ctx, { versionId, sealedManifest: new Uint8Array(randomBytes(200)) });

		const fetched: (Uint8Array | null)[] = [];
		for (let shardIndex = 0; shardIndex < K + M; shardIndex++) {
			fetched.push(
				await fetchShard(ctx, gateway, { versionId, chunkIndex: 0, shardIndex }, owned(ctx)).catch(
					() => null,
				),
			);
		}
		expect(fetched.filter((shard) => shard !== null)).toHaveLength(K);
		const rebuilt = joinShards(coder.reconstructData(fetched), sealedChunk.length);
		expect(Buffer.from(rebuilt).equals(Buffer.from(sealedChunk))).toBe(true);

		// The same shards asked for in one request, as a download asks: each listed shard in the
		// listed order, with its bytes or why there are none — never the request's failure.
		const listed = [5, 0, 1, 2, 3, 4];
		const reads = await Promise.all(
			await fetchChunkShards(
				ctx,
				gateway,
				{ versionId, chunkIndex: 0, shardIndices: listed },
				owned(ctx),
			),
		);
		expect(reads.map((read) => read.shardIndex)).toEqual(listed);
		expect(reads[0]).toMatchObject({ error: { code: "NOT_FOUND" } });
		expect(reads[1]).toMatchObject({ error: { code: "UNAVAILABLE" } });
		for (const read of reads.slice(2))
			expect("data" in read && read.data).toEqual(shards[read.shardIndex]);
	});

	it("skips a node that serves corrupted shards and rebuilds from the honest ones", async () => {
		for (const node of network.nodes) if (node.process === null) await network.restart(node.index);
		const liar = await network.addNode({ faults: ["serve-wrong-bytes"] });
		const { ctx, vault } = await owner();
		// Place on the liar and five honest nodes.
		const honest = network.nodes.filter((node) => node.index !== liar.index).slice(0, K + M - 1);
		const used = [...honest, liar].map((node) => node.peerId.toString());
		await ctx.db.storageNode.updateMany({
			where: { peerId: { notIn: used } },
			data: { status: "suspended" },
		});
		const sealedChunk = new Uint8Array(randomBytes(120_000));
		const { coder, shards, versionId, place } = await oneChunkVersion(ctx, vault.id, sealedChunk);
		const placements = await place();
		expect(placements.map((placement) => placement.peerId)).toContain(liar.peerId.toString());
		for (let shardIndex = 0; shardIndex < K + M; shardIndex++) {
			await storeOneShard(ctx, {
				versionId,
				chunkIndex: 0,
				shardIndex,
				data: shards[shardIndex] as Uint8Array,
			});
		}
		await commitVersion(ctx, { versionId, sealedManifest: new Uint8Array(randomBytes(200)) });
		const liarShard = placements.find((placement) => placement.peerId === liar.peerId.toString())
			?.shardIndex as number;
		await expect(
			fetchShard(ctx, gateway, { versionId, chunkIndex: 0, shardIndex: liarShard }, owned(ctx)),
		).rejects.toMatchObject({
			code: "UNAVAILABLE",
		});
		const fetched: (Uint8Array | null)[] = [];
		for (let shardIndex = 0; shardIndex < K + M; shardIndex++) {
			fetched.push(
				await fetchShard(ctx, gateway, { versionId, chunkIndex: 0, shardIndex }, owned(ctx)).catch(
					() => null,
				),
			);
		}
		expect(fetched.filter((shard) => shard !== null)).toHaveLength(K + M - 1);
		// In one request for the whole chunk, only the liar's shard is missing.
		const reads = await Promise.all(
			await fetchChunkShards(
				ctx,
				gateway,
				{ versionId, chunkIndex: 0, shardIndices: [0, 1, 2, 3, 4, 5] },
				owned(ctx),
			),
		);
		expect(reads.filter((read) => "error" in read).map((read) => read.shardIndex)).toEqual([
			liarShard,
		]);
		expect(reads[liarShard]).toMatchObject({ error: { code: "UNAVAILABLE" } });
		expect(
			Buffer.from(joinShards(coder.reconstructData(fetched), sealedChunk.length)).equals(
				Buffer.from(sealedChunk),
			),
		).toBe(true);
	});

	it("deleting a file for good deletes its shards on the nodes", async () => {
		const { ctx, vault } = await ownerOnHonestNodes();
		const sealedChunk = new Uint8Array(randomBytes(50_000));
		const { shards, roots, fileId, versionId, place } = await oneChunkVersion(
			ctx,
			vault.id,
			sealedChunk,
		);
		const placements = await place();
		for (let shardIndex = 0; shardIndex < K + M; shardIndex++) {
			await storeOneShard(ctx, {
				versionId,
				chunkIndex: 0,
				shardIndex,
				data: shards[shardIndex] as Uint8Array,
			});
		}
		await commitVersion(ctx, { versionId, sealedManifest: new Uint8Array(randomBytes(200)) });
		const holds = async () =>
			Promise.all(
				placements.map(async ({ shardIndex, peerId }) => {
					const node = network.nodes.find((candidate) => candidate.peerId.toString() === peerId);
					return (
						await hasShard(
							network.client,
							node?.addresses[0] as never,
							roots[shardIndex] as Uint8Array,
						)
					).has;
				}),
			);
		expect(await holds()).toEqual(Array(K + M).fill(true));
		await trashNode(ctx, { id: fileId });
		await deleteNode(ctx, { id: fileId });
		expect(await holds()).toEqual(Array(K + M).fill(false));
	});

	it("keeps an interrupted upload resumable: same placement again, recorded shards listed, abandon deletes them", async () => {
		const { ctx, vault } = await ownerOnHonestNodes();
		const sealedChunk = new Uint8Array(randomBytes(40_000));
		const { shards, roots, fileId, versionId, place } = await oneChunkVersion(
			ctx,
			vault.id,
			sealedChunk,
		);
		const placements = await place();
		for (let shardIndex = 0; shardIndex < K + 1; shardIndex++) {
			await storeOneShard(ctx, {
				versionId,
				chunkIndex: 0,
				shardIndex,
				data: shards[shardIndex] as Uint8Array,
			});
		}
		// The browser went away here. Placing the chunk again keeps every placement and shard.
		expect(await place()).toEqual(placements);
		const state = await uploadState(ctx, { versionId, fromChunk: 0, count: 1 });
		expect(state.map((row) => [row.shardIndex, row.state])).toEqual([
			[0, "stored"],
			[1, "stored"],
			[2, "stored"],
			[3, "stored"],
			[4, "stored"],
			[5, "ticketed"],
		]);
		expect(state.map((row) => Buffer.from(row.root).toString("hex"))).toEqual(
			roots.map((root) => Buffer.from(root).toString("hex")),
		);
		// Other shards for a chunk already placed are refused: a version's chunks never change.
		await expect(
			placeChunk(ctx, {
				versionId,
				chunkIndex: 0,
				shards: shards.map((shard) => ({
					root: new Uint8Array(randomBytes(32)),
					size: shard.length,
				})),
			}),
		).rejects.toMatchObject({ code: "CONFLICT" });
		const [pending, ...others] = await listPendingUploads(ctx, { vaultId: vault.id });
		expect(others).toHaveLength(0);
		expect(pending).toMatchObject({
			versionId,
			fileId,
			newFile: true,
			chunkCount: 1,
			chunksStored: 1,
		});

		const holds = async () =>
			Promise.all(
				placements.slice(0, K + 1).map(async ({ shardIndex, peerId }) => {
					const node = network.nodes.find((candidate) => candidate.peerId.toString() === peerId);
					return (
						await hasShard(
							network.client,
							node?.addresses[0] as never,
							roots[shardIndex] as Uint8Array,
						)
					).has;
				}),
			);
		expect(await holds()).toEqual(Array(K + 1).fill(true));
		await abandonUpload(ctx, { versionId });
		expect(await holds()).toEqual(Array(K + 1).fill(false));
		expect(await listPendingUploads(ctx, { vaultId: vault.id })).toEqual([]);
		// It was the file's first version, so the file is gone too.
		expect(await ctx.db.vaultNode.findUnique({ where: { id: fileId } })).toBeNull();
	});

	it("refuses to commit while a chunk has fewer than k + 1 shards stored", async () => {
		const { ctx, vault } = await owner();
		const versionId = randomUUID();
		await startUpload(ctx, {
			vaultId: vault.id,
			fileId: randomUUID(),
			parentId: null,
			newFile: {
				sealedName: new Uint8Array(randomBytes(90)),
				wrappedNodeKey: new Uint8Array(randomBytes(105)),
			},
			versionId,
			sealedUploadState: new Uint8Array(randomBytes(120)),
			size: 10,
			chunkSize: 4 * 2 ** 20,
			chunkCount: 1,
			dataShards: K,
			parityShards: M,
		});
		await expect(
			commitVersion(ctx, { versionId, sealedManifest: new Uint8Array(randomBytes(200)) }),
		).rejects.toMatchObject({
			code: "CONFLICT",
			message: expect.stringMatching(/fewer than 5 shards/),
		});
	});

	it("stores a chunk's shards from one body, shard by shard, and says which failed and why", async () => {
		const { ctx, vault } = await ownerOnHonestNodes();
		const { shards, versionId, place } = await oneChunkVersion(ctx, vault.id, randomBytes(90_000));
		await place();
		const send = (
			shardIndices: number[],
			parts: Uint8Array[],
			options: { cutAt?: number; length?: number } = {},
		) =>
			storeChunkShards(ctx, gateway, {
				versionId,
				chunkIndex: 0,
				shardIndices,
				length: options.length ?? lengthOf(parts),
				body: bodyOf(parts, options),
			});
		const storedShards = async () =>
			(await uploadState(ctx, { versionId, fromChunk: 0, count: 1 }))
				.filter((row) => row.state === "stored")
				.map((row) => row.shardIndex);

		// A listed size that does not add up to the body's is refused before anything is sent.
		await expect(
			send([0, 1], [shards[0] as Uint8Array, shards[1] as Uint8Array], { length: 10 }),
		).rejects.toMatchObject({ code: "BAD_INPUT", message: expect.stringMatching(/sizes differ/) });
		// Shard 2's bytes replaced: the node refuses them, the shards around it are stored.
		const wrong = new Uint8Array(shards[2]?.length ?? 0).fill(7);
		const outcomes = await send([1, 2, 3], [shards[1], wrong, shards[3]] as Uint8Array[]);
		expect(outcomes.map(({ shardIndex, stored }) => [shardIndex, stored])).toEqual([
			[1, true],
			[2, false],
			[3, true],
		]);
		expect(outcomes[1]).toMatchObject({
			error: { code: "BAD_INPUT", message: expect.stringMatching(/does not match the root/) },
		});
		// A body cut short: the whole shard before the cut is stored, the request refused.
		const cut = (shards[0]?.length ?? 0) + 100;
		await expect(
			send([0, 4], [shards[0], shards[4]] as Uint8Array[], { cutAt: cut }),
		).rejects.toMatchObject({ code: "BAD_INPUT", message: "The upload was cut short in transit." });
		expect(await storedShards()).toEqual([0, 1, 3]);
		// A shard that was never placed: the request is refused whole.
		await expect(send([6], [shards[0] as Uint8Array])).rejects.toMatchObject({
			code: "NOT_FOUND",
		});
		await expect(
			send([4, 5, 2], [shards[4], shards[5], shards[2]] as Uint8Array[]),
		).resolves.toHaveLength(3);
		expect(await storedShards()).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it("reports a body cut short as such even when recording the stored shards fails too", async () => {
		const { ctx, vault } = await ownerOnHonestNodes();
		const { shards, versionId, place } = await oneChunkVersion(ctx, vault.id, randomBytes(90_000));
		await place();
		// An injected fault (a database failing just then cannot be caused for real here): every
		// update of shard rows fails.
		const placements = ctx.db.shardPlacement;
		const failingPlacements = new Proxy(placements, {
			get: (target, property) =>
				property === "updateMany"
					? () => Promise.reject(new Error("database unavailable (injected fault)"))
					: Reflect.get(target, property),
		});
		const failingDb = new Proxy(ctx.db, {
			get: (target, property) =>
				property === "shardPlacement" ? failingPlacements : Reflect.get(target, property),
		});
		const parts = [shards[0], shards[4]] as Uint8Array[];
		const store = (db: typeof ctx.db, cutAt?: number) =>
			storeChunkShards({ ...ctx, db }, gateway, {
				versionId,
				chunkIndex: 0,
				shardIndices: [0, 4],
				length: lengthOf(parts),
				body: bodyOf(parts, cutAt === undefined ? {} : { cutAt }),
			});
		await expect(store(failingDb, (shards[0]?.length ?? 0) + 100)).rejects.toMatchObject({
			code: "BAD_INPUT",
			message: "The upload was cut short in transit.",
		});
		// With the whole body, the failed record is the request's failure: nothing says stored.
		await expect(store(failingDb)).rejects.toThrow("database unavailable (injected fault)");
		const states = (await uploadState(ctx, { versionId, fromChunk: 0, count: 1 })).map(
			(row) => row.state,
		);
		expect(states).not.toContain("stored");
	});

	it("lets no one else store or read a version's shards, and says which part is missing", async () => {
		const { ctx, vault } = await ownerOnHonestNodes();
		const { shards, versionId, place } = await oneChunkVersion(ctx, vault.id, randomBytes(40_000));
		await place();
		const shard = { versionId, chunkIndex: 0, shardIndex: 0, data: shards[0] as Uint8Array };
		await storeOneShard(ctx, shard);
		const { ctx: other } = await owner();
		const address = { versionId, chunkIndex: 0, shardIndex: 0 };
		await expect(storeOneShard(other, shard)).rejects.toMatchObject({
			code: "NOT_FOUND",
			message: "No such file or folder.",
		});
		await expect(fetchShard(other, gateway, address, owned(other))).rejects.toMatchObject({
			code: "NOT_FOUND",
		});
		await expect(
			fetchChunkShards(
				other,
				gateway,
				{ versionId, chunkIndex: 0, shardIndices: [0, 1, 2, 3] },
				owned(other),
			),
		).rejects.toMatchObject({ code: "NOT_FOUND" });
		await expect(fetchShard(ctx, gateway, address, owned(ctx))).resolves.toEqual(shards[0]);
		// The owner hears why: a chunk not placed, a shard not stored, a version that is not there.
		await expect(storeOneShard(ctx, { ...shard, chunkIndex: 1 })).rejects.toMatchObject({
			code: "NOT_FOUND",
			message: expect.stringMatching(/not placed/),
		});
		await expect(
			fetchShard(ctx, gateway, { ...address, shardIndex: 1 }, owned(ctx)),
		).rejects.toMatchObject({ code: "NOT_FOUND", message: "This shard is not stored." });
		await expect(storeOneShard(ctx, { ...shard, versionId: randomUUID() })).rejects.toMatchObject({
			code: "NOT_FOUND",
			message: "No such file version.",
		});
	});

	it("sends a shard whose node is down to a free node, and records where it went", async () => {
		await network.addNode();
		const { ctx, vault } = await ownerOnHonestNodes();
		const { shards, roots, versionId, place } = await oneChunkVersion(
			ctx,
			vault.id,
			randomBytes(60_000),
		);
		const placements = await place();
		const down = placements[2]?.peerId as string;
		await network.kill(network.nodes.findIndex((node) => node.peerId.toString() === down));
		const outcomes = await storeWholeChunk(ctx, versionId, shards);
		expect(outcomes.map((outcome) => outcome.stored)).toEqual(shards.map(() => true));
		const movedTo = (outcomes[2] as { peerId: string }).peerId;
		expect(placements.map((placement) => placement.peerId)).not.toContain(movedTo);
		// Every row says stored, on the node that holds the shard: placed, or moved.
		const rows = await ctx.db.shardPlacement.findMany({
			where: { versionId },
			orderBy: { shardIndex: "asc" },
		});
		expect(rows.map(({ shardIndex, state, peerId }) => [shardIndex, state, peerId])).toEqual(
			outcomes.map((outcome) => [
				outcome.shardIndex,
				"stored",
				(outcome as { peerId: string }).peerId,
			]),
		);
		const holder = network.nodes.find((node) => node.peerId.toString() === movedTo);
		await expect(
			hasShard(
				network.client,
				holder?.addresses[0] as (typeof network.nodes)[number]["addresses"][number],
				roots[2] as Uint8Array,
			),
		).resolves.toMatchObject({ has: true });
	});
});
