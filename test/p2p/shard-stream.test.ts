// The streamed shard messages (v2 and v3: raw body frame after a CBOR header): round trips of
// odd and empty sizes, the incremental root, and the refusals that must keep nothing on disk —
// a body cut off mid-way, bytes that fail the root, a corrupt stored file ending in CORRUPT.
// The v3 put sends its body without waiting: a node that refuses it or already holds the shard
// answers before reading it, the stream stays in step, and a node without v3 gets v2.
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey } from "@libp2p/interface";
import type { Multiaddr } from "@multiformats/multiaddr";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import fc from "fast-check";
import type { Libp2p } from "libp2p";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MERKLE_BLOCK_SIZE, shardRoot } from "../../crypto/merkle";
import { createClientNode } from "../../p2p/node/client-node";
import { createStorageNode, type StorageNode } from "../../p2p/node/storage-node";
import type { NodeContext } from "../../p2p/protocols/context";
import { getShard, hasShard, putShard } from "../../p2p/protocols/shard/client";
import { SHARD_PROTOCOL } from "../../p2p/protocols/shard/constants";
import { handleShardRequest } from "../../p2p/protocols/shard/handler";
import { openShardStore } from "../../p2p/store/shard-store";
import { encodeMessage } from "../../p2p/wire/cbor";
import { toHex } from "../../p2p/wire/hex";
import { ShardRootHasher } from "../../p2p/wire/native-merkle";
import {
	lengthPrefix,
	openCall,
	Refusal,
	readResponse,
	sendFrame,
	sendRawFrame,
	serveStream,
} from "../../p2p/wire/rpc";
import { Status } from "../../p2p/wire/status";
import {
	type CoordinatorSigner,
	createCoordinatorSigner,
} from "../../server/coordinator/coordinator";

let dir: string;
let node: StorageNode;
let client: Libp2p;
let signer: CoordinatorSigner;
let target: Multiaddr;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), "coffre-stream-"));
	signer = createCoordinatorSigner();
	node = await createStorageNode({
		dataDir: join(dir, "node"),
		capacityBytes: 2 ** 26,
		privateKey: (await generateKeyPair("Ed25519")) as Ed25519PrivateKey,
		encryptionSecretKey: secp256k1.utils.randomSecretKey(),
		coordinatorPublicKey: signer.publicKey,
		listen: ["/ip4/127.0.0.1/tcp/0"],
	});
	await node.start();
	client = await createClientNode();
	target = node.libp2p.getMultiaddrs()[0] as Multiaddr;
});

afterAll(async () => {
	await client?.stop();
	await node?.stop();
	await rm(dir, { recursive: true, force: true });
});

const random = (size: number) => {
	const out = new Uint8Array(size);
	for (let o = 0; o < size; o += 65_536) crypto.getRandomValues(out.subarray(o, o + 65_536));
	return out;
};
const ticketFor = (data: Uint8Array, root = shardRoot(data)) =>
	signer.signTicket({ root, size: data.length, node: node.peerId.toString() });
const tmpFiles = () => readdir(join(dir, "node", "tmp"));

describe("incremental shard root", () => {
	it("equals the whole-shard root however the bytes are split", () => {
		fc.assert(
			fc.property(
				fc.uint8Array({ minLength: 0, maxLength: MERKLE_BLOCK_SIZE * 3 + 11 }),
				fc.array(fc.nat(), { maxLength: 8 }),
				(shard, cuts) => {
					const points = [...new Set(cuts.map((c) => c % (shard.length + 1)))].sort(
						(a, b) => a - b,
					);
					const hasher = new ShardRootHasher();
					let at = 0;
					for (const point of [...points, shard.length]) {
						hasher.update(shard.subarray(at, point));
						at = point;
					}
					expect(hasher.digest()).toEqual(shardRoot(shard));
				},
			),
			{ numRuns: 40 },
		);
	});
});

describe("streamed put and get", () => {
	it("round-trips shards of odd sizes, an empty one and one over a read piece", async () => {
		for (const size of [0, 1, MERKLE_BLOCK_SIZE + 3, 300_001]) {
			const data = random(size);
			await putShard(client, target, { ticket: ticketFor(data), data });
			expect(await getShard(client, target, shardRoot(data))).toEqual(data);
		}
		expect(await tmpFiles()).toEqual([]);
	});

	it("stores a shard handed over as the pieces it arrived in", async () => {
		const data = random(3 * MERKLE_BLOCK_SIZE + 5);
		// Uneven pieces that cut Merkle blocks, and an empty one (an HTTP body may hold any).
		const cuts = [0, 1, 7_000, 7_000, MERKLE_BLOCK_SIZE + 9, 2 * MERKLE_BLOCK_SIZE, data.length];
		const pieces = cuts.slice(1).map((end, i) => data.subarray(cuts[i], end));
		await putShard(client, target, { ticket: ticketFor(data), data: pieces });
		expect(await getShard(client, target, shardRoot(data))).toEqual(data);
	});

	it("refuses bytes that fail the ticket's root and keeps nothing", async () => {
		const data = random(50_000);
		const wrong = data.slice();
		wrong[49_999] = (wrong[49_999] as number) ^ 1;
		const error = await putShard(client, target, { ticket: ticketFor(data), data: wrong }).catch(
			(e) => e,
		);
		expect(error).toMatchObject({ name: "RemoteRefusedError", statusName: "ROOT_MISMATCH" });
		expect(node.store.info(shardRoot(data))).toBeNull();
		expect(await tmpFiles()).toEqual([]);
	});

	it("keeps nothing of a body cut off mid-way", async () => {
		const data = random(200_000);
		const root = shardRoot(data);
		const call = await openCall(client, target, SHARD_PROTOCOL, {
			timeoutMs: 10_000,
			maxResponseBytes: 65_536,
		});
		await sendFrame(
			call.stream,
			encodeMessage({ v: 2, op: "put", ticket: ticketFor(data, root) }),
			call.signal,
		);
		expect((await readResponse(call.reader, 65_536)).continue).toBe(true);
		// Announce the whole shard, send half of it, then close the stream.
		await expect(
			sendRawFrame(call.stream, data.length, [data.subarray(0, 100_000)], call.signal),
		).rejects.toThrow(/shorter than announced/);
		await call.finish();
		await expect.poll(tmpFiles, { timeout: 5_000 }).toEqual([]);
		expect(node.store.info(root)).toBeNull();
	});

	it("ends the get of a rotted file with CORRUPT and quarantines it", async () => {
		const data = random(70_000);
		const root = shardRoot(data);
		await putShard(client, target, { ticket: ticketFor(data, root), data });
		const rotten = data.slice();
		rotten[60_000] = (rotten[60_000] as number) ^ 1;
		await writeFile(join(dir, "node", "shards", `${toHex(root)}.shard`), rotten);
		const error = await getShard(client, target, root).catch((e) => e);
		expect(error).toMatchObject({ name: "RemoteRefusedError", statusName: "CORRUPT" });
		expect(node.store.info(root)).toBeNull();
		expect(await readdir(join(dir, "node", "quarantine"))).toContain(`${toHex(root)}.shard`);
	});
});

describe("put without waiting (v3)", () => {
	const open = () =>
		openCall(client, target, SHARD_PROTOCOL, { timeoutMs: 10_000, maxResponseBytes: 65_536 });

	/**
	 * Opens a v3 put of `data` under `ticket` and sends only the start of its body: a node that
	 * waited for all of it before answering would never answer.
	 */
	async function startPut(data: Uint8Array, ticket: ReturnType<typeof ticketFor>) {
		const call = await open();
		await sendFrame(call.stream, encodeMessage({ v: 3, op: "put", ticket }), call.signal);
		call.stream.send(lengthPrefix(data.length));
		call.stream.send(data.subarray(0, 1_000));
		return call;
	}

	/** A `has` on the same stream: answered only if the node kept the framing in step. */
	async function hasOnSameStream(call: Awaited<ReturnType<typeof open>>, root: Uint8Array) {
		await sendFrame(call.stream, encodeMessage({ v: 1, op: "has", root }), call.signal);
		return readResponse(call.reader, 65_536);
	}

	it("answers a refused put before reading its body, and keeps the stream in step", async () => {
		const data = random(300_000);
		const forged = createCoordinatorSigner().signTicket({
			root: shardRoot(data),
			size: data.length,
			node: node.peerId.toString(),
		});
		const call = await startPut(data, forged);
		await expect(readResponse(call.reader, 65_536)).rejects.toMatchObject({
			statusName: "BAD_SIGNATURE",
		});
		// The rest of the body, then another request on the same stream: it is answered.
		call.stream.send(data.subarray(1_000));
		expect(await hasOnSameStream(call, shardRoot(data))).toMatchObject({ has: false });
		await call.finish();
		expect(node.store.info(shardRoot(data))).toBeNull();
		expect(await tmpFiles()).toEqual([]);
	});

	it("answers at once that a shard is already held, and the caller stops sending", async () => {
		const data = random(200_000);
		const root = shardRoot(data);
		await putShard(client, target, { ticket: ticketFor(data, root), data });
		const call = await startPut(data, ticketFor(data, root));
		expect(await readResponse(call.reader, 65_536)).toMatchObject({ status: 0, held: true });
		// The caller closes part-way through the body: the node ends the stream, nothing breaks.
		await call.finish();
		expect(await getShard(client, target, root)).toEqual(data);
		expect(await tmpFiles()).toEqual([]);
	});

	it("refuses a v3 put that carries its data inline, without waiting for a body", async () => {
		const data = random(1_000);
		const call = await open();
		await sendFrame(
			call.stream,
			encodeMessage({ v: 3, op: "put", ticket: ticketFor(data), data }),
			call.signal,
		);
		await expect(readResponse(call.reader, 65_536)).rejects.toMatchObject({
			statusName: "BAD_REQUEST",
		});
		expect(await hasOnSameStream(call, shardRoot(data))).toMatchObject({ has: false });
		await call.finish();
	});

	it("refuses a get in v3, which has only put, as an unsupported version", async () => {
		const data = random(1_000);
		await putShard(client, target, { ticket: ticketFor(data), data });
		const call = await open();
		const get = { v: 3, op: "get", root: shardRoot(data), max: data.length };
		await sendFrame(call.stream, encodeMessage(get), call.signal);
		await expect(readResponse(call.reader, 65_536)).rejects.toMatchObject({
			statusName: "UNSUPPORTED_VERSION",
		});
		expect(await hasOnSameStream(call, shardRoot(data))).toMatchObject({ has: true });
		await call.finish();
	});

	it("refuses a get above the size asked, in step, leaving the shard's file closed", async () => {
		const data = random(300_000);
		await putShard(client, target, { ticket: ticketFor(data), data });
		const openFiles = async () => (await readdir("/proc/self/fd")).length;
		const before = await openFiles();
		for (let i = 0; i < 20; i++) {
			const call = await open();
			const get = { v: 2, op: "get", root: shardRoot(data), max: data.length - 1 };
			await sendFrame(call.stream, encodeMessage(get), call.signal);
			await expect(readResponse(call.reader, 65_536)).rejects.toMatchObject({
				statusName: "TOO_LARGE",
			});
			expect(await hasOnSameStream(call, shardRoot(data))).toMatchObject({ has: true });
			await call.finish();
		}
		// The node runs in this process: each refused get must have closed the file it opened.
		expect(await openFiles()).toBeLessThan(before + 5);
		expect(await getShard(client, target, shardRoot(data))).toEqual(data);
	});

	it("falls back to the v2 put on a node that does not know v3", async () => {
		// A node as it was before v3: the same shard handler, v3 refused as an unknown version.
		const olderDir = await mkdtemp(join(tmpdir(), "coffre-older-"));
		const older = await createClientNode({ listen: ["/ip4/127.0.0.1/tcp/0"] });
		try {
			const context = {
				store: await openShardStore({ dir: olderDir, capacityBytes: 2 ** 24 }),
				peerId: older.peerId.toString(),
				coordinatorPublicKey: signer.publicKey,
				now: Date.now,
				faults: {},
				claimed: new Set<string>(),
			} as Partial<NodeContext> as NodeContext;
			const versions: unknown[] = [];
			await older.handle(SHARD_PROTOCOL, (stream, connection) =>
				serveStream(
					stream,
					connection,
					{ maxFrameBytes: 65_536, timeoutMs: 10_000, maxRequestsPerStream: 8 },
					() => true,
					async (message, _peer, io) => {
						const version = (message as { v?: unknown }).v;
						versions.push(version);
						if (version === 3) throw new Refusal(Status.UNSUPPORTED_VERSION, "version 3?");
						return handleShardRequest(context, message, io);
					},
				),
			);
			const olderAddress = older.getMultiaddrs()[0] as Multiaddr;
			const data = random(150_000);
			const ticket = signer.signTicket({
				root: shardRoot(data),
				size: data.length,
				node: older.peerId.toString(),
			});
			await putShard(client, olderAddress, { ticket, data });
			expect(versions).toEqual([3, 2]);
			expect(await getShard(client, olderAddress, shardRoot(data))).toEqual(data);
			expect(await hasShard(client, olderAddress, shardRoot(data))).toMatchObject({ has: true });
		} finally {
			await older.stop();
			await rm(olderDir, { recursive: true, force: true });
		}
	});
});

describe("streamed store reads and writes", () => {
	it("a streamed write that is aborted or fails its root leaves no file", async () => {
		const storeDir = join(dir, "store");
		const store = await openShardStore({ dir: storeDir, capacityBytes: 1e6 });
		const data = random(40_000);
		const aborted = await store.beginPut(shardRoot(data), data.length, Date.now() + 60_000);
		aborted?.write(data.subarray(0, 20_000));
		await aborted?.abort();
		const wrong = await store.beginPut(shardRoot(data), data.length, Date.now() + 60_000);
		wrong?.write(random(40_000));
		await expect(wrong?.commit()).rejects.toMatchObject({ name: "RootMismatchError" });
		expect(store.count).toBe(0);
		expect(store.usedBytes).toBe(0);
		expect(await readdir(join(storeDir, "tmp"))).toEqual([]);
		expect(await readdir(join(storeDir, "shards"))).toEqual([]);
	});
});
