// The storage node's libp2p stack: identify, ping, the private Kademlia DHT protocol and the
// Coffre protocols (shard, audit, reencrypt) are served, and a node that bootstraps from
// another joins its DHT.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey } from "@libp2p/interface";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { afterAll, describe, expect, it } from "vitest";
import {
	COFFRE_KAD_PROTOCOL,
	createStorageNode,
	type StorageNode,
} from "../../p2p/node/storage-node";
import { createCoordinatorSigner } from "../../server/coordinator/coordinator";

const started: StorageNode[] = [];
let dir: string;
afterAll(async () => {
	await Promise.all(started.map((n) => n.stop()));
	if (dir) await rm(dir, { recursive: true, force: true });
});

async function node(name: string, bootstrap: string[] = []) {
	const created = await createStorageNode({
		dataDir: join(dir, name),
		capacityBytes: 2 ** 20,
		privateKey: (await generateKeyPair("Ed25519")) as Ed25519PrivateKey,
		encryptionSecretKey: secp256k1.utils.randomSecretKey(),
		coordinatorPublicKey: createCoordinatorSigner().publicKey,
		listen: ["/ip4/127.0.0.1/tcp/0"],
		bootstrap,
	});
	await created.start();
	started.push(created);
	return created;
}

describe("storage node stack", () => {
	it("serves identify, ping, /coffre/kad/1.0.0 and the Coffre protocols, and joins a peer's DHT", async () => {
		dir = await mkdtemp(join(tmpdir(), "coffre-stack-"));
		const a = await node("a");
		const b = await node("b", [a.addresses[0] as string]);
		expect(a.libp2p.getProtocols()).toEqual(
			expect.arrayContaining([
				"/ipfs/id/1.0.0",
				"/ipfs/ping/1.0.0",
				COFFRE_KAD_PROTOCOL,
				"/coffre/shard/1.0.0",
				"/coffre/audit/1.0.0",
				"/coffre/reencrypt/1.0.0",
			]),
		);
		expect(a.libp2p.getProtocols().some((p) => p.startsWith("/ipfs/kad"))).toBe(false);
		const dht = (n: StorageNode) =>
			(n.libp2p.services as { dht: { routingTable: { size: number } } }).dht.routingTable;
		await expect
			.poll(() => dht(a).size + dht(b).size, { timeout: 15_000 })
			.toBeGreaterThanOrEqual(2);
		expect(b.status()).toMatchObject({ registered: false, shards: 0, capacityBytes: 2 ** 20 });
	});
});
