// startLocalNetwork (what `npm start` calls): real child-process nodes under one folder that
// register with the coordinator, store shards, stop cleanly and come back with the same
// identities and shards; each runs with the storage node's Node.js flags.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { multiaddr } from "@multiformats/multiaddr";
import { afterAll, describe, expect, it } from "vitest";
import { shardRoot } from "../../crypto/merkle";
import { spawnStorageNode, startLocalNetwork } from "../../p2p/local-network";
import { createClientNode } from "../../p2p/node/client-node";
import { STORAGE_NODE_FLAGS } from "../../p2p/node/runtime-flags";
import { getShard, putShard } from "../../p2p/protocols/shard/client";
import { startCoordinator } from "../../server/coordinator/coordinator";

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
	for (const step of cleanup.reverse()) await step();
});

describe("local network", () => {
	it("starts registered nodes that keep their identity and shards across a restart", async () => {
		const dataDir = await mkdtemp(join(tmpdir(), "coffre-local-"));
		cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
		const coordinator = await startCoordinator();
		cleanup.push(() => coordinator.stop());
		const client = await createClientNode();
		cleanup.push(() => client.stop());

		const first = await startLocalNetwork({ count: 3, dataDir, coordinator });
		const ids = first.nodes.map((n) => n.peerId);
		expect(new Set(ids).size).toBe(3);
		expect([...coordinator.directory.keys()].sort()).toEqual([...ids].sort());
		expect(first.nodes.map((n) => n.dataDir)).toEqual(
			[0, 1, 2].map((i) => join(dataDir, `node-${i}`)),
		);
		expect(first.nodes[0]?.addresses.some((a) => a.includes("/ws/"))).toBe(true);

		const data = crypto.getRandomValues(new Uint8Array(50_000));
		const root = shardRoot(data);
		const target = first.nodes[2] as { peerId: string; addresses: string[] };
		const ticket = coordinator.signTicket({ root, size: data.length, node: target.peerId });
		await putShard(client, multiaddr(target.addresses[0] as string), { ticket, data });
		await first.stop();
		await client.hangUp(multiaddr(target.addresses[0] as string)).catch(() => undefined);

		const second = await startLocalNetwork({ count: 3, dataDir, coordinator });
		cleanup.push(() => second.stop());
		expect(second.nodes.map((n) => n.peerId)).toEqual(ids);
		const again = second.nodes[2] as { addresses: string[] };
		expect(await getShard(client, multiaddr(again.addresses[0] as string), root)).toEqual(data);
	});

	it("runs each node process with the storage node's Node.js flags", async () => {
		const dataDir = await mkdtemp(join(tmpdir(), "coffre-local-"));
		cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
		const node = await spawnStorageNode({ dataDir, coordinatorPublicKey: new Uint8Array(32) });
		cleanup.push(() => node.stop());
		const args = node.process.spawnargs;
		const launcher = args.findIndex((arg) => arg.endsWith("coffre-node.js"));
		expect(launcher).toBeGreaterThan(0);
		expect(args.slice(1, launcher)).toEqual([...STORAGE_NODE_FLAGS]);
	});
});
