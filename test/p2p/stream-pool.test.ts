// Reused request streams (p2p/wire/stream-pool and exchangeOnStream in p2p/wire/rpc): shard
// calls from one caller to one node share a stream, a stream the node ended is never handed out
// again, and a call that meets a stream the node closed just as it was taken is retried once on
// a fresh stream — but a refusal, a fresh stream's failure or a lying node's bytes are not.
// Real libp2p nodes on loopback; the misbehaving server below is a real protocol handler.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey, Stream } from "@libp2p/interface";
import type { Multiaddr } from "@multiformats/multiaddr";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { Libp2p } from "libp2p";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardRoot } from "../../crypto/merkle";
import { createClientNode } from "../../p2p/node/client-node";
import { createStorageNode, type StorageNode } from "../../p2p/node/storage-node";
import { getShard, hasShard, putShard } from "../../p2p/protocols/shard/client";
import { SHARD_PROTOCOL } from "../../p2p/protocols/shard/constants";
import { decodeMessage, encodeMessage } from "../../p2p/wire/cbor";
import { FrameReader } from "../../p2p/wire/frame-reader";
import { exchangeOnStream, readResponse, sendFrame } from "../../p2p/wire/rpc";
import { Status } from "../../p2p/wire/status";
import { StreamPool, streamPoolOf } from "../../p2p/wire/stream-pool";
import {
	type CoordinatorSigner,
	createCoordinatorSigner,
} from "../../server/coordinator/coordinator";

let dir: string;
let signer: CoordinatorSigner;
const started: { stop(): void | Promise<void> }[] = [];

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), "coffre-pool-"));
	signer = createCoordinatorSigner();
});

afterAll(async () => {
	for (const node of started.reverse()) await node.stop();
	await rm(dir, { recursive: true, force: true });
});

async function startNode(name: string, streamLimits?: { maxRequestsPerStream: number }) {
	const node: StorageNode = await createStorageNode({
		dataDir: join(dir, name),
		capacityBytes: 2 ** 26,
		privateKey: (await generateKeyPair("Ed25519")) as Ed25519PrivateKey,
		encryptionSecretKey: secp256k1.utils.randomSecretKey(),
		coordinatorPublicKey: signer.publicKey,
		listen: ["/ip4/127.0.0.1/tcp/0"],
		...(streamLimits ? { streamLimits: { ...streamLimitsBase, ...streamLimits } } : {}),
	});
	await node.start();
	started.push(node);
	return node;
}

const streamLimitsBase = { maxFrameBytes: 9 * 2 ** 20, timeoutMs: 60_000 };

async function startClient(): Promise<Libp2p> {
	const client = await createClientNode();
	started.push(client);
	return client;
}

const random = (size: number) => {
	const out = new Uint8Array(size);
	for (let o = 0; o < size; o += 65_536) crypto.getRandomValues(out.subarray(o, o + 65_536));
	return out;
};

/** The caller's open shard streams to `node`. */
function shardStreams(client: Libp2p, node: StorageNode): Stream[] {
	return client
		.getConnections(node.peerId)
		.flatMap((connection) => connection.streams)
		.filter((stream) => stream.protocol === SHARD_PROTOCOL);
}

describe("shard calls on reused streams", () => {
	it("runs a caller's calls to one node on one stream", async () => {
		const node = await startNode("one-stream");
		const client = await startClient();
		const target = node.libp2p.getMultiaddrs()[0] as Multiaddr;
		const data = random(300_000);
		const root = shardRoot(data);
		const ticket = signer.signTicket({ root, size: data.length, node: node.peerId.toString() });
		await putShard(client, target, { ticket, data });
		const [stream] = shardStreams(client, node);
		expect(stream).toBeDefined();
		for (let i = 0; i < 3; i++) expect(await getShard(client, target, root)).toEqual(data);
		expect(await hasShard(client, target, root)).toEqual({ has: true, size: data.length });
		// Still the one stream the put opened, back in the pool after every call.
		expect(shardStreams(client, node).map((s) => s.id)).toEqual([stream?.id]);
		expect(streamPoolOf(client).size).toBe(1);
	});

	it("goes on over fresh streams when the node ends each stream after one request", async () => {
		const node = await startNode("one-request", { maxRequestsPerStream: 1 });
		const client = await startClient();
		const target = node.libp2p.getMultiaddrs()[0] as Multiaddr;
		const data = random(100_000);
		const root = shardRoot(data);
		const ticket = signer.signTicket({ root, size: data.length, node: node.peerId.toString() });
		await putShard(client, target, { ticket, data });
		for (let i = 0; i < 20; i++) expect(await getShard(client, target, root)).toEqual(data);
		// The node closed every stream after its answer: none is left open or pooled.
		await expect.poll(() => shardStreams(client, node).length, { timeout: 5_000 }).toBe(0);
		expect(streamPoolOf(client).size).toBe(0);
	});

	it("does not reuse the stream of a put whose body the node's early answer cut short", async () => {
		const node = await startNode("early-answer");
		const client = await startClient();
		const target = node.libp2p.getMultiaddrs()[0] as Multiaddr;
		const data = random(8 * 2 ** 20);
		const root = shardRoot(data);
		const ticket = signer.signTicket({ root, size: data.length, node: node.peerId.toString() });
		await putShard(client, target, { ticket, data });
		// Already held: on a fresh stream (a window that grows as the node reads), the node
		// answers long before 8 MiB went out, and then ends the stream mid-body.
		await streamPoolOf(client).clear();
		await putShard(client, target, { ticket, data });
		// Taking that stream again would leave this get unanswered until its deadline.
		expect(await getShard(client, target, root, { timeoutMs: 5_000 })).toEqual(data);
	});
});

/** A test protocol whose server answers, refuses or hangs up per request, as told. */
const TEST_PROTOCOL = "/coffre-test/pool/1.0.0";

type Behaviour = (request: {
	streamNumber: number;
	onStream: number;
}) => "ok" | "refuse" | "hangUp" | "okThenOutOfTurn";

/** What a server that answers out of turn sends after its answer, unasked. */
const OUT_OF_TURN_ANSWER = 999;

async function misbehavingServer(behaviour: Behaviour) {
	const server = await createClientNode({ listen: ["/ip4/127.0.0.1/tcp/0"] });
	started.push(server);
	const seen = { streams: 0, requests: 0 };
	await server.handle(TEST_PROTOCOL, async (stream) => {
		const streamNumber = ++seen.streams;
		const reader = new FrameReader(stream);
		const signal = AbortSignal.timeout(10_000);
		try {
			for (let onStream = 1; ; onStream++) {
				const frame = await reader.readFrame(1_024);
				if (frame === null) break;
				seen.requests++;
				const { n } = decodeMessage(frame) as { n: number };
				const what = behaviour({ streamNumber, onStream });
				if (what === "hangUp") break;
				await sendFrame(
					stream,
					encodeMessage(
						what === "refuse"
							? { status: Status.NOT_FOUND, reason: "no" }
							: { status: Status.OK, n },
					),
					signal,
				);
				if (what === "okThenOutOfTurn") {
					// A well-formed answer nobody asked for, sent while the caller's stream is idle.
					await new Promise((resolve) => setTimeout(resolve, 20));
					await sendFrame(
						stream,
						encodeMessage({ status: Status.OK, n: OUT_OF_TURN_ANSWER }),
						signal,
					);
				}
			}
			await stream.close();
		} catch (err) {
			stream.abort(err as Error);
		}
	});
	return { target: server.getMultiaddrs()[0] as Multiaddr, seen };
}

describe("exchangeOnStream", () => {
	const ask = (client: Libp2p, target: Multiaddr, pool: StreamPool, n: number) =>
		exchangeOnStream(
			client,
			target,
			TEST_PROTOCOL,
			{ timeoutMs: 5_000, maxResponseBytes: 1_024, pool },
			async (call) => {
				await sendFrame(call.stream, encodeMessage({ n }), call.signal);
				return (await readResponse(call.reader, 1_024)).n;
			},
		);

	it("retries once on a fresh stream when a reused stream is hung up on", async () => {
		// The second request on any stream is hung up on, as a node ending a stream would.
		const { target, seen } = await misbehavingServer(({ onStream }) =>
			onStream === 1 ? "ok" : "hangUp",
		);
		const client = await startClient();
		const pool = new StreamPool();
		expect(await ask(client, target, pool, 1)).toBe(1);
		expect(await ask(client, target, pool, 2)).toBe(2);
		// Stream 1 served request 1 and hung up on request 2, which stream 2 then answered.
		expect(seen).toEqual({ streams: 2, requests: 3 });
	});

	it("does not retry a refusal on a reused stream", async () => {
		const { target, seen } = await misbehavingServer(({ onStream }) =>
			onStream === 1 ? "ok" : "refuse",
		);
		const client = await startClient();
		const pool = new StreamPool();
		expect(await ask(client, target, pool, 1)).toBe(1);
		await expect(ask(client, target, pool, 2)).rejects.toMatchObject({
			name: "RemoteRefusedError",
			statusName: "NOT_FOUND",
		});
		expect(seen).toEqual({ streams: 1, requests: 2 });
	});

	it("does not retry a failure on a fresh stream", async () => {
		const { target, seen } = await misbehavingServer(() => "hangUp");
		const client = await startClient();
		await expect(ask(client, target, new StreamPool(), 1)).rejects.toMatchObject({
			name: "NoResponseError",
		});
		expect(seen).toEqual({ streams: 1, requests: 1 });
	});

	it("drops a stream on which the server sent bytes out of turn while it was idle", async () => {
		const { target, seen } = await misbehavingServer(({ streamNumber }) =>
			streamNumber === 1 ? "okThenOutOfTurn" : "ok",
		);
		const client = await startClient();
		const pool = new StreamPool();
		expect(await ask(client, target, pool, 1)).toBe(1);
		// The unasked answer arrives while the stream waits in the pool.
		await new Promise((resolve) => setTimeout(resolve, 200));
		// Read on the reused stream, it would pass for the answer to this request.
		expect(await ask(client, target, pool, 2)).toBe(2);
		expect(seen).toEqual({ streams: 2, requests: 2 });
	});

	it("hands out no stream older than its limit", async () => {
		const { target, seen } = await misbehavingServer(() => "ok");
		const client = await startClient();
		const pool = new StreamPool({ maxAgeMs: 50, idleMs: 5_000, maxIdle: 8 });
		expect(await ask(client, target, pool, 1)).toBe(1);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(await ask(client, target, pool, 2)).toBe(2);
		expect(seen).toEqual({ streams: 2, requests: 2 });
	});

	it("closes a stream idle for longer than its limit", async () => {
		const { target } = await misbehavingServer(() => "ok");
		const client = await startClient();
		const pool = new StreamPool({ maxAgeMs: 20_000, idleMs: 50, maxIdle: 8 });
		expect(await ask(client, target, pool, 1)).toBe(1);
		expect(pool.size).toBe(1);
		await expect.poll(() => pool.size, { timeout: 2_000 }).toBe(0);
		const open = client
			.getConnections()
			.flatMap((connection) => connection.streams)
			.filter((stream) => stream.protocol === TEST_PROTOCOL);
		await expect.poll(() => open.filter((s) => s.status === "open").length).toBe(0);
	});
});
