// TestNetwork (DESIGN §10): real `coffre-node` child processes on 127.0.0.1 with random ports, an
// in-process coordinator that signs their tickets, and a client node to call them. Nodes can be
// killed (SIGKILL or SIGTERM) and restarted on the same data folder, and lying nodes planted
// through the node's TEST-ONLY `--test-fault` option. Every node's clock can be moved ahead
// (`setClockOffset`, through the TEST-ONLY `--test-clock-file`).
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PeerId } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import { type Multiaddr, multiaddr } from "@multiformats/multiaddr";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { Libp2p } from "libp2p";
import { shardRoot } from "../../crypto/merkle";
import { type SpawnedNode, spawnStorageNode } from "../../p2p/local-network";
import { createClientNode } from "../../p2p/node/client-node";
import { initNodeFolder, loadNodeFolder } from "../../p2p/node/node-keys";
import { putShard } from "../../p2p/protocols/shard/client";
import { type Coordinator, startCoordinator } from "../../server/coordinator/coordinator";

/** A lying behaviour, as the CLI's --test-fault spells it. */
export type Fault =
	| "serve-wrong-bytes"
	| "claim-dropped-shards"
	| "wrong-audits"
	| "wrong-cfrags"
	| `stall=${number}`;

/** Options of one node. */
export interface TestNodeOptions {
	faults?: Fault[];
	capacity?: string;
	/** Requests per second per peer (the fuzz test raises it). */
	rateLimit?: number;
}

/** One spawned node. */
export interface TestNode {
	index: number;
	dataDir: string;
	options: TestNodeOptions;
	peerId: PeerId;
	addresses: Multiaddr[];
	/** The running child process, null while killed. */
	process: SpawnedNode | null;
}

export class TestNetwork {
	readonly nodes: TestNode[] = [];

	private constructor(
		readonly dir: string,
		readonly coordinator: Coordinator,
		readonly client: Libp2p,
	) {}

	/** Starts a coordinator, a client and `count` honest nodes. */
	static async start(count: number, options: TestNodeOptions = {}): Promise<TestNetwork> {
		const dir = await mkdtemp(join(tmpdir(), "coffre-net-"));
		const coordinator = await startCoordinator();
		const client = await createClientNode();
		const network = new TestNetwork(dir, coordinator, client);
		await network.setClockOffset(0);
		await Promise.all(Array.from({ length: count }, () => network.addNode(options)));
		return network;
	}

	/** Spawns one more node (honest, or lying with `faults`). */
	async addNode(options: TestNodeOptions = {}): Promise<TestNode> {
		const index = this.nodes.length;
		const dataDir = join(this.dir, `node-${index}`);
		const node: TestNode = {
			index,
			dataDir,
			options,
			peerId: undefined as unknown as PeerId,
			addresses: [],
			process: null,
		};
		this.nodes.push(node);
		const { parseSize } = await import("../../p2p/cli/sizes");
		await initNodeFolder(dataDir, parseSize(options.capacity ?? "1GiB") as number);
		await this.launch(node);
		return node;
	}

	private async launch(node: TestNode): Promise<void> {
		const spawned = await spawnStorageNode({
			dataDir: node.dataDir,
			coordinatorPublicKey: this.coordinator.publicKey,
			coordinatorAddress: this.coordinator.addresses[0] as string,
			...(node.options.rateLimit ? { rateLimit: node.options.rateLimit } : {}),
			...(node.options.faults ? { testFaults: node.options.faults } : {}),
			testClockFile: this.clockFile,
		});
		node.process = spawned;
		node.peerId = peerIdFromString(spawned.peerId);
		node.addresses = spawned.addresses.map((a) => multiaddr(a));
	}

	/** The TCP address of node `index` (for dialling). */
	address(index: number): Multiaddr {
		const node = this.nodes[index] as TestNode;
		return node.addresses.find((a) => !a.toString().includes("/ws")) as Multiaddr;
	}

	/** The file every node reads its clock offset from. */
	get clockFile(): string {
		return join(this.dir, "clock-offset");
	}

	/** Moves every node's clock to real time + `ms` (atomically: nodes never read half a number). */
	async setClockOffset(ms: number): Promise<void> {
		const tmp = `${this.clockFile}.tmp`;
		await writeFile(tmp, String(ms));
		await rename(tmp, this.clockFile);
	}

	/** Node `index`'s secp256k1 encryption public key (33 bytes), from its folder. */
	async encryptionPublicKey(index: number): Promise<Uint8Array> {
		const identity = await loadNodeFolder((this.nodes[index] as TestNode).dataDir);
		return secp256k1.getPublicKey(identity.encryptionSecretKey, true);
	}

	/** Kills node `index` (SIGKILL by default) and waits for it to exit. */
	async kill(index: number, signal: NodeJS.Signals = "SIGKILL"): Promise<number | null> {
		const node = this.nodes[index] as TestNode;
		const spawned = node.process;
		node.process = null;
		const code = (await spawned?.stop(signal)) ?? null;
		await this.client.hangUp(node.peerId).catch(() => undefined);
		return code;
	}

	/** Restarts a killed node on its data folder (new ports, same peer id). */
	async restart(index: number): Promise<void> {
		await this.launch(this.nodes[index] as TestNode);
	}

	/** Signs a ticket for node `index` and stores `data` there; returns the shard root. */
	async put(index: number, data: Uint8Array): Promise<Uint8Array> {
		const node = this.nodes[index] as TestNode;
		const root = shardRoot(data);
		const ticket = this.coordinator.signTicket({
			root,
			size: data.length,
			node: node.peerId.toString(),
		});
		await putShard(this.client, this.address(index), { ticket, data });
		return root;
	}

	/** Stops everything and removes the data folders. */
	async stop(): Promise<void> {
		await Promise.all(this.nodes.map((n) => this.kill(n.index, "SIGTERM")));
		await this.client.stop();
		await this.coordinator.stop();
		await rm(this.dir, { recursive: true, force: true });
	}
}
