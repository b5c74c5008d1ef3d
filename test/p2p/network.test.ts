// Six real storage nodes (child processes) plus planted lying nodes: shards round-trip, lies are
// caught by audits and root checks, tickets and delete orders are enforced, capacity is
// enforced, and a killed node comes back with its shards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardRoot } from "../../crypto/merkle";
import { auditShard } from "../../p2p/protocols/audit/client";
import {
	deleteShard,
	getShard,
	hasShard,
	putShard,
	renewShard,
} from "../../p2p/protocols/shard/client";
import { signStorageTicket } from "../../p2p/protocols/shard/ticket";
import { toHex } from "../../p2p/wire/hex";
import { generateSigningKeys } from "../../p2p/wire/signed";
import { TestNetwork, type TestNode } from "../helpers/test-network";

const random = (size: number) => {
	const out = new Uint8Array(size);
	for (let i = 0; i < size; i += 65_536)
		crypto.getRandomValues(out.subarray(i, Math.min(size, i + 65_536)));
	return out;
};

let net: TestNetwork;
let liars: Record<"wrongBytes" | "dropped" | "wrongAudits" | "stall", TestNode>;
let tiny: TestNode;

beforeAll(async () => {
	net = await TestNetwork.start(6);
	const [wrongBytes, dropped, wrongAudits, stall, small] = await Promise.all([
		net.addNode({ faults: ["serve-wrong-bytes"] }),
		net.addNode({ faults: ["claim-dropped-shards"] }),
		net.addNode({ faults: ["wrong-audits"] }),
		net.addNode({ faults: ["stall=5000"] }),
		net.addNode({ capacity: "100KiB" }),
	]);
	liars = { wrongBytes, dropped, wrongAudits, stall } as typeof liars;
	tiny = small as TestNode;
});

afterAll(async () => {
	await net?.stop();
});

describe("six honest nodes", () => {
	it("store and return shards put on every node, checked against their roots", async () => {
		const shards = Array.from({ length: 6 }, (_, i) => random(100_000 + i * 20_000));
		const roots = await Promise.all(shards.map((data, i) => net.put(i, data)));
		for (let i = 0; i < 6; i++) {
			const back = await getShard(net.client, net.address(i), roots[i] as Uint8Array);
			expect(back).toEqual(shards[i]);
			expect(await hasShard(net.client, net.address(i), roots[i] as Uint8Array)).toEqual({
				has: true,
				size: shards[i]?.length,
			});
			expect(await hasShard(net.client, net.address((i + 1) % 6), roots[i] as Uint8Array)).toEqual({
				has: false,
			});
		}
	});

	it("registered every node with a signed record carrying its encryption key", () => {
		for (const node of net.nodes) {
			const record = net.coordinator.directory.get(node.peerId.toString());
			expect(record?.encryptionPublicKey).toHaveLength(33);
			expect(record?.capacityBytes).toBeGreaterThan(0);
		}
	});

	it("pass audits of every block of a shard they hold", async () => {
		const data = random(5 * 16_384 + 10);
		const root = await net.put(2, data);
		for (let index = 0; index < 6; index++) {
			expect(
				await auditShard(net.client, net.address(2), { root, size: data.length }, { index }),
			).toEqual({
				passed: true,
				index,
			});
		}
	});

	it("keep their shards across a SIGKILL and restart", async () => {
		const data = random(70_000);
		const root = await net.put(3, data);
		await net.kill(3);
		await net.restart(3);
		expect(await getShard(net.client, net.address(3), root)).toEqual(data);
	});

	it("drop shards whose lease ran out unless a fresh ticket renewed them", async () => {
		const node = net.nodes[5] as TestNode;
		const [kept, dropped] = [random(20_000), random(20_000)];
		const roots = [shardRoot(kept), shardRoot(dropped)];
		for (const [i, data] of [kept, dropped].entries()) {
			const root = roots[i] as Uint8Array;
			const ticket = net.coordinator.signTicket({
				root,
				size: data.length,
				node: node.peerId.toString(),
				leaseMs: 1_500,
			});
			await putShard(net.client, net.address(5), { ticket, data });
		}
		const renewal = net.coordinator.signTicket({
			root: roots[0] as Uint8Array,
			size: kept.length,
			node: node.peerId.toString(),
		});
		await renewShard(net.client, net.address(5), renewal);
		await new Promise((resolve) => setTimeout(resolve, 1_700));
		expect((await hasShard(net.client, net.address(5), roots[0] as Uint8Array)).has).toBe(true);
		expect(await hasShard(net.client, net.address(5), roots[1] as Uint8Array)).toEqual({
			has: false,
		});
		await expect(
			getShard(net.client, net.address(5), roots[1] as Uint8Array),
		).rejects.toMatchObject({
			statusName: "NOT_FOUND",
		});
	});

	it("delete only on a coordinator-signed order for that node", async () => {
		const data = random(30_000);
		const root = await net.put(4, data);
		const node = net.nodes[4] as TestNode;
		const forged = signStorageTicket(
			{
				root,
				size: 0,
				expiresAt: Date.now() + 60_000,
				leaseUntil: 0,
				node: node.peerId.toString(),
			},
			generateSigningKeys().secretKey,
		);
		await expect(deleteShard(net.client, net.address(4), forged)).rejects.toMatchObject({
			name: "RemoteRefusedError",
			statusName: "BAD_SIGNATURE",
		});
		const otherNode = net.coordinator.signDelete({
			root,
			node: (net.nodes[5] as TestNode).peerId.toString(),
		});
		await expect(deleteShard(net.client, net.address(4), otherNode)).rejects.toMatchObject({
			statusName: "TICKET_MISMATCH",
		});
		expect((await hasShard(net.client, net.address(4), root)).has).toBe(true);
		const order = net.coordinator.signDelete({ root, node: node.peerId.toString() });
		expect(await deleteShard(net.client, net.address(4), order)).toBe(true);
		expect(await hasShard(net.client, net.address(4), root)).toEqual({ has: false });
	});
});

describe("tickets", () => {
	const refusal = async (
		index: number,
		ticket: ReturnType<typeof signStorageTicket>,
		data: Uint8Array,
	) =>
		putShard(net.client, net.address(index), { ticket, data }).then(
			() => null,
			(err: Error & { statusName?: string }) => ({ name: err.name, status: err.statusName }),
		);

	it("a ticket forged with another key is refused and nothing is stored", async () => {
		const data = random(10_000);
		const root = shardRoot(data);
		const node = (net.nodes[0] as TestNode).peerId.toString();
		const forged = signStorageTicket(
			{
				root,
				size: data.length,
				expiresAt: Date.now() + 60_000,
				leaseUntil: Date.now() + 1e9,
				node,
			},
			generateSigningKeys().secretKey,
		);
		expect(await refusal(0, forged, data)).toEqual({
			name: "RemoteRefusedError",
			status: "BAD_SIGNATURE",
		});
		const tampered = net.coordinator.signTicket({ root, size: data.length, node });
		tampered.body = tampered.body.slice();
		const last = tampered.body.length - 1;
		tampered.body[last] = (tampered.body[last] as number) ^ 1;
		expect((await refusal(0, tampered, data))?.status).toBe("BAD_SIGNATURE");
		expect(await hasShard(net.client, net.address(0), root)).toEqual({ has: false });
	});

	it("an expired ticket, a ticket for another node and bytes off the ticket's root are refused", async () => {
		const data = random(10_000);
		const root = shardRoot(data);
		const node = (net.nodes[1] as TestNode).peerId.toString();
		const expired = net.coordinator.signTicket({
			root,
			size: data.length,
			node,
			ttlMs: -10 * 60_000,
		});
		expect(await refusal(1, expired, data)).toEqual({
			name: "RemoteRefusedError",
			status: "EXPIRED",
		});
		const elsewhere = net.coordinator.signTicket({
			root,
			size: data.length,
			node: (net.nodes[2] as TestNode).peerId.toString(),
		});
		expect((await refusal(1, elsewhere, data))?.status).toBe("TICKET_MISMATCH");
		const other = random(10_000);
		const valid = net.coordinator.signTicket({ root, size: data.length, node });
		expect((await refusal(1, valid, other))?.status).toBe("ROOT_MISMATCH");
		expect(await hasShard(net.client, net.address(1), root)).toEqual({ has: false });
	});

	it("a full node refuses with CAPACITY_FULL and says how full it is", async () => {
		await net.put(tiny.index, random(80_000));
		const data = random(40_000);
		const ticket = net.coordinator.signTicket({
			root: shardRoot(data),
			size: data.length,
			node: tiny.peerId.toString(),
		});
		const error = await putShard(net.client, net.address(tiny.index), { ticket, data }).catch(
			(e) => e,
		);
		expect(error.statusName).toBe("CAPACITY_FULL");
		expect(error.message).toMatch(/storage full: 80000 of 102400 bytes used, shard needs 40000/);
	});
});

describe("lying nodes", () => {
	it("wrong bytes are caught by the root check on get", async () => {
		const data = random(50_000);
		const root = await net.put(liars.wrongBytes.index, data);
		await expect(
			getShard(net.client, net.address(liars.wrongBytes.index), root),
		).rejects.toMatchObject({
			name: "ShardIntegrityError",
		});
	});

	it("a node that dropped a shard but claims it fails the audit", async () => {
		const data = random(50_000);
		const root = await net.put(liars.dropped.index, data);
		expect((await hasShard(net.client, net.address(liars.dropped.index), root)).has).toBe(true);
		const result = await auditShard(net.client, net.address(liars.dropped.index), {
			root,
			size: data.length,
		});
		expect(result.passed).toBe(false);
	});

	it("wrong audit answers fail verification against the root", async () => {
		const data = random(50_000);
		const root = await net.put(liars.wrongAudits.index, data);
		const result = await auditShard(net.client, net.address(liars.wrongAudits.index), {
			root,
			size: data.length,
		});
		expect(result).toMatchObject({
			passed: false,
			reason: "block or proof does not match the root",
		});
		// The same node's shard is fine on get: only its audit answers lie.
		expect(
			toHex(shardRoot(await getShard(net.client, net.address(liars.wrongAudits.index), root))),
		).toBe(toHex(root));
	});

	it("a stalling node fails the audit by its deadline", async () => {
		const data = random(20_000);
		const root = await net.put(liars.stall.index, data);
		const started = Date.now();
		const result = await auditShard(
			net.client,
			net.address(liars.stall.index),
			{ root, size: data.length },
			{ timeoutMs: 1_000 },
		);
		expect(result.passed).toBe(false);
		expect(Date.now() - started).toBeLessThan(3_000);
	});
});
