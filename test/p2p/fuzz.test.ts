// Bad input never crashes a node nor corrupts what it stores (DESIGN §9.10): ≥ 10,000 random
// and mutated frames per protocol (shard, audit, register) sent to live nodes, batched over a
// few pipelined streams; each frame gets one well-formed answer. Afterwards every shard is
// still served intact. Also: oversized frames and unknown versions are refused, and a peer
// opening thousands of streams or flooding requests is limited while the node keeps serving.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey, Stream } from "@libp2p/interface";
import type { Multiaddr } from "@multiformats/multiaddr";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { decode as decodeFrames } from "it-length-prefixed";
import type { Libp2p } from "libp2p";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardRoot } from "../../crypto/merkle";
import { createClientNode } from "../../p2p/node/client-node";
import { identitySeed } from "../../p2p/node/node-keys";
import { ABUSE_STRIKES, createStorageNode, type StorageNode } from "../../p2p/node/storage-node";
import { AUDIT_PROTOCOL } from "../../p2p/protocols/audit/constants";
import { MAX_INBOUND_STREAMS } from "../../p2p/protocols/limits";
import { REGISTER_PROTOCOL, signNodeRecord } from "../../p2p/protocols/register/index";
import { getShard, hasShard } from "../../p2p/protocols/shard/client";
import { SHARD_PROTOCOL } from "../../p2p/protocols/shard/constants";
import { decodeMessage, encodeMessage } from "../../p2p/wire/cbor";
import { sendFrame } from "../../p2p/wire/rpc";
import { Status } from "../../p2p/wire/status";
import { type Coordinator, startCoordinator } from "../../server/coordinator/coordinator";
import { seededRandom } from "../helpers/seeded-random";

const FRAMES_PER_PROTOCOL = 10_000;
const FRAMES_PER_STREAM = 2_500;

let dir: string;
let coordinator: Coordinator;
let fuzzed: StorageNode;
let guarded: StorageNode;
let client: Libp2p;
let clientKey: Ed25519PrivateKey;
const seeded: { root: Uint8Array; data: Uint8Array }[] = [];

async function startNode(name: string, rateLimit?: { perSecond: number; burst: number }) {
	const node = await createStorageNode({
		dataDir: join(dir, name),
		capacityBytes: 2 ** 30,
		privateKey: (await generateKeyPair("Ed25519")) as Ed25519PrivateKey,
		encryptionSecretKey: secp256k1.utils.randomSecretKey(),
		coordinatorPublicKey: coordinator.publicKey,
		listen: ["/ip4/127.0.0.1/tcp/0"],
		...(rateLimit ? { rateLimit } : {}),
	});
	await node.start();
	return node;
}

const tcp = (node: StorageNode) => node.libp2p.getMultiaddrs()[0] as Multiaddr;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), "coffre-fuzz-"));
	coordinator = await startCoordinator({
		rateLimit: { perSecond: 1e6, burst: 1e6 },
		maxRequestsPerStream: 4_096,
	});
	fuzzed = await startNode("fuzzed", { perSecond: 1e6, burst: 1e6 });
	guarded = await startNode("guarded");
	clientKey = (await generateKeyPair("Ed25519")) as Ed25519PrivateKey;
	client = await createClientNode({ privateKey: clientKey });
	for (const node of [fuzzed, guarded]) {
		for (let i = 0; i < 3; i++) {
			const data = crypto.getRandomValues(new Uint8Array(20_000 + i * 17_000));
			const root = shardRoot(data);
			const ticket = coordinator.signTicket({
				root,
				size: data.length,
				node: node.peerId.toString(),
			});
			await node.store.put(root, data, Date.now() + 3_600_000);
			seeded.push({ root, data });
			void ticket;
		}
	}
});

afterAll(async () => {
	await client?.stop();
	await fuzzed?.stop();
	await guarded?.stop();
	await coordinator?.stop();
	await rm(dir, { recursive: true, force: true });
});

function randomValue(rand: () => number, depth = 0): unknown {
	const pick = Math.floor(rand() * (depth > 2 ? 5 : 7));
	switch (pick) {
		case 0:
			return Math.floor(rand() * 2 ** 40) - 2 ** 20;
		case 1:
			return "op-v-root-index-nonce-ticket-data-order-record".slice(0, Math.floor(rand() * 12));
		case 2:
			return Uint8Array.from({ length: Math.floor(rand() * 70) }, () => Math.floor(rand() * 256));
		case 3:
			return rand() < 0.5;
		case 4:
			return null;
		case 5:
			return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
		default: {
			const keys = [
				"v",
				"op",
				"root",
				"index",
				"nonce",
				"ticket",
				"data",
				"order",
				"record",
				"body",
				"sig",
			];
			const map: Record<string, unknown> = {};
			for (let i = Math.floor(rand() * 5); i > 0; i--) {
				map[keys[Math.floor(rand() * keys.length)] as string] = randomValue(rand, depth + 1);
			}
			return map;
		}
	}
}

/** A random frame: mutated valid message, a valid message with one field replaced, random CBOR, or noise. */
function fuzzFrame(rand: () => number, templates: Uint8Array[]): Uint8Array {
	const template = templates[Math.floor(rand() * templates.length)] as Uint8Array;
	const kind = rand();
	if (kind < 0.45) {
		const bytes = template.slice();
		for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) {
			const at = Math.floor(rand() * bytes.length);
			bytes[at] =
				rand() < 0.5
					? (bytes[at] as number) ^ (1 << Math.floor(rand() * 8))
					: Math.floor(rand() * 256);
		}
		return rand() < 0.2 ? bytes.subarray(0, Math.floor(rand() * bytes.length)) : bytes;
	}
	if (kind < 0.7) {
		const message = decodeMessage(template) as Record<string, unknown>;
		const keys = Object.keys(message);
		message[keys[Math.floor(rand() * keys.length)] as string] = randomValue(rand);
		return encodeMessage(message);
	}
	if (kind < 0.9) return encodeMessage(randomValue(rand));
	return Uint8Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256));
}

/** Sends `frames` pipelined on one stream and returns every decoded answer. */
async function pipeline(stream: Stream, frames: Uint8Array[]): Promise<Record<string, unknown>[]> {
	const signal = AbortSignal.timeout(60_000);
	const answers: Record<string, unknown>[] = [];
	const reading = (async () => {
		for await (const frame of decodeFrames(stream, { maxDataLength: 16 * 2 ** 20 })) {
			answers.push(decodeMessage(frame.subarray()) as Record<string, unknown>);
			if (answers.length === frames.length) break;
		}
	})();
	for (const frame of frames) await sendFrame(stream, frame, signal);
	await reading;
	await stream.close().catch(() => undefined);
	return answers;
}

async function fuzzProtocol(
	target: Multiaddr,
	protocol: string,
	templates: Uint8Array[],
	seed: number,
) {
	const rand = seededRandom(seed);
	const counts = new Map<number, number>();
	for (let sent = 0; sent < FRAMES_PER_PROTOCOL; sent += FRAMES_PER_STREAM) {
		const frames = Array.from({ length: FRAMES_PER_STREAM }, () => fuzzFrame(rand, templates));
		const stream = await client.dialProtocol(target, protocol);
		const answers = await pipeline(stream, frames);
		expect(answers).toHaveLength(FRAMES_PER_STREAM);
		for (const answer of answers) {
			expect(typeof answer.status).toBe("number");
			counts.set(answer.status as number, (counts.get(answer.status as number) ?? 0) + 1);
		}
	}
	expect(counts.get(Status.INTERNAL)).toBeUndefined();
	expect(counts.get(Status.BAD_REQUEST)).toBeGreaterThan(FRAMES_PER_PROTOCOL / 4);
	return counts;
}

describe("fuzzing live nodes", () => {
	it(`answers ${FRAMES_PER_PROTOCOL} random and mutated shard frames and still serves every shard`, async () => {
		const node = fuzzed.peerId.toString();
		const data = crypto.getRandomValues(new Uint8Array(1_000));
		const root = shardRoot(data);
		const unknownRoot = new Uint8Array(32).fill(7);
		const templates = [
			encodeMessage({
				v: 1,
				op: "put",
				ticket: coordinator.signTicket({ root, size: 1_000, node }),
				data,
			}),
			encodeMessage({ v: 1, op: "get", root: (seeded[0] as { root: Uint8Array }).root }),
			encodeMessage({ v: 1, op: "has", root: (seeded[1] as { root: Uint8Array }).root }),
			encodeMessage({
				v: 1,
				op: "renew",
				ticket: coordinator.signTicket({ root, size: 1_000, node }),
			}),
			encodeMessage({
				v: 1,
				op: "delete",
				order: coordinator.signDelete({ root: unknownRoot, node }),
			}),
		];
		await fuzzProtocol(tcp(fuzzed), SHARD_PROTOCOL, templates, 0x5eed);
		for (const { root: r, data: d } of seeded.slice(0, 3))
			expect(await getShard(client, tcp(fuzzed), r)).toEqual(d);
	});

	it(`answers ${FRAMES_PER_PROTOCOL} random and mutated audit frames and still serves every shard`, async () => {
		const templates = seeded
			.slice(0, 3)
			.map(({ root }, i) =>
				encodeMessage({ v: 1, root, index: i, nonce: new Uint8Array(16).fill(i) }),
			);
		const counts = await fuzzProtocol(tcp(fuzzed), AUDIT_PROTOCOL, templates, 0xa0d17);
		expect(counts.get(Status.OK)).toBeGreaterThan(0);
		for (const { root: r, data: d } of seeded.slice(0, 3))
			expect(await getShard(client, tcp(fuzzed), r)).toEqual(d);
	});

	it(`answers ${FRAMES_PER_PROTOCOL} random and mutated register frames without a bogus directory entry`, async () => {
		const record = signNodeRecord(
			{
				peerId: client.peerId.toString(),
				addresses: ["/ip4/127.0.0.1/tcp/1"],
				capacityBytes: 1,
				encryptionPublicKey: secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true),
				issuedAt: Date.now(),
			},
			identitySeed(clientKey),
		);
		const target = coordinator.libp2p.getMultiaddrs()[0] as Multiaddr;
		await fuzzProtocol(target, REGISTER_PROTOCOL, [encodeMessage({ v: 1, record })], 0x4e6);
		for (const [peerId, entry] of coordinator.directory) {
			expect(peerId).toBe(client.peerId.toString());
			expect(entry.peerId).toBe(peerId);
		}
	});

	it("refuses an oversized frame with TOO_LARGE and an unknown version with UNSUPPORTED_VERSION", async () => {
		const stream = await client.dialProtocol(tcp(fuzzed), SHARD_PROTOCOL);
		const [versionAnswer] = await pipeline(stream, [
			encodeMessage({ v: 2, op: "has", root: new Uint8Array(32) }),
		]);
		expect(versionAnswer?.status).toBe(Status.UNSUPPORTED_VERSION);
		const big = await client.dialProtocol(tcp(fuzzed), SHARD_PROTOCOL);
		// A varint announcing 64 MiB, then a little data: refused before the bytes arrive.
		const answers: Record<string, unknown>[] = [];
		const reading = (async () => {
			for await (const frame of decodeFrames(big))
				answers.push(decodeMessage(frame.subarray()) as Record<string, unknown>);
		})();
		big.send(Uint8Array.of(0x80, 0x80, 0x80, 0x20, 1, 2, 3));
		await reading;
		expect(answers.map((a) => a.status)).toEqual([Status.TOO_LARGE]);
	});
});

describe("abusive peers", () => {
	it("a peer opening thousands of idle streams is held to the per-connection limit and the node keeps serving", async () => {
		const target = tcp(guarded);
		// The flood comes from its own peer: the node may block and disconnect it, as it should.
		const abuser = await createClientNode();
		const held: Stream[] = [];
		let refused = 0;
		// 2,000 stream openings in waves of 50, every accepted stream kept open and idle.
		for (let wave = 0; wave < 40; wave++) {
			const attempts = await Promise.allSettled(
				Array.from({ length: 50 }, () =>
					abuser.dialProtocol(target, SHARD_PROTOCOL, { signal: AbortSignal.timeout(20_000) }),
				),
			);
			for (const a of attempts) if (a.status === "fulfilled") held.push(a.value);
			refused += attempts.filter((a) => a.status === "rejected").length;
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
		const streams = held;
		const open = streams.filter((st) => st.status === "open").length;
		// Refused at once, or accepted by the muxer and then reset by the node's protocol limit.
		expect(refused + streams.length - open).toBeGreaterThan(1_900);
		// Idle streams may also be closed by the node's idle timeout, so none need remain open;
		// never more than the limit may.
		expect(open).toBeLessThanOrEqual(MAX_INBOUND_STREAMS);
		expect(guarded.libp2p.status).toBe("started");
		for (const st of streams) st.abort(new Error("done"));
		await abuser.stop();
		// An honest peer is still served.
		for (const { root: r, data: d } of seeded.slice(3))
			expect(await getShard(client, target, r)).toEqual(d);
	});

	it("a peer sending requests faster than its rate gets RATE_LIMITED", async () => {
		// Its own peer: being rate-limited may get it blocked, and other tests must not suffer.
		const eager = await createClientNode();
		const stream = await eager.dialProtocol(tcp(guarded), SHARD_PROTOCOL);
		const root = (seeded[4] as { root: Uint8Array }).root;
		const frames = Array.from({ length: 1_000 }, () => encodeMessage({ v: 1, op: "has", root }));
		const answers: Record<string, unknown>[] = [];
		const reading = (async () => {
			for await (const frame of decodeFrames(stream))
				answers.push(decodeMessage(frame.subarray()) as Record<string, unknown>);
		})();
		for (const frame of frames)
			await sendFrame(stream, frame, AbortSignal.timeout(10_000)).catch(() => undefined);
		await reading.catch(() => undefined);
		expect(answers.at(-1)?.status).toBe(Status.RATE_LIMITED);
		expect(answers.length).toBeLessThan(1_000);
		await eager.stop();
		// The node keeps answering well-behaved peers.
		expect(await hasShard(client, tcp(guarded), root)).toMatchObject({ has: true });
	});

	it("the connection gater refuses a denied peer at connection time", async () => {
		const denying = await createStorageNode({
			dataDir: join(dir, "denying"),
			capacityBytes: 2 ** 20,
			privateKey: (await generateKeyPair("Ed25519")) as Ed25519PrivateKey,
			encryptionSecretKey: secp256k1.utils.randomSecretKey(),
			coordinatorPublicKey: coordinator.publicKey,
			listen: ["/ip4/127.0.0.1/tcp/0"],
			denyPeers: [client.peerId.toString()],
		});
		await denying.start();
		try {
			await expect(hasShard(client, tcp(denying), new Uint8Array(32))).rejects.toThrow();
			expect(denying.libp2p.getConnections(client.peerId)).toHaveLength(0);
		} finally {
			await denying.stop();
		}
	});

	it("a peer that keeps ignoring RATE_LIMITED is blocked and disconnected", async () => {
		const strict = await startNode("strict", { perSecond: 0.001, burst: 1 });
		try {
			const root = new Uint8Array(32);
			await hasShard(client, tcp(strict), root);
			const statuses: string[] = [];
			for (let i = 0; i < ABUSE_STRIKES + 3; i++) {
				await hasShard(client, tcp(strict), root).then(
					() => statuses.push("OK"),
					(err: Error & { statusName?: string }) => statuses.push(err.statusName ?? err.name),
				);
			}
			expect(statuses.slice(0, ABUSE_STRIKES - 1)).toEqual(
				Array(ABUSE_STRIKES - 1).fill("RATE_LIMITED"),
			);
			// The last strike hangs up; after it the gater refuses the peer's connections outright.
			expect(statuses.slice(ABUSE_STRIKES)).not.toContain("RATE_LIMITED");
			expect(statuses).not.toContain("OK");
			expect(strict.libp2p.getConnections(client.peerId)).toHaveLength(0);
		} finally {
			await strict.stop();
		}
	});
});
