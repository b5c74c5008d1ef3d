// A local network of storage nodes for `npm start` (issue 6 item 5) and tests: each node is a
// real `coffre-node start` child process on 127.0.0.1 with its own data folder, trusting the
// given coordinator key and registering with it. Folders are initialised on first use and
// reused after, so shards survive restarts. It never listens beyond 127.0.0.1.
import { type ChildProcess, spawn } from "node:child_process";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { initNodeFolder, NODE_IDENTITY_FILE } from "./node/node-keys";
import { STORAGE_NODE_FLAGS } from "./node/runtime-flags";
import { toHex } from "./wire/hex";

const LAUNCHER = join(import.meta.dirname, "../bin/coffre-node.js");
const READY_TIMEOUT_MS = 60_000;

/** Options of one spawned node. */
export interface SpawnNodeOptions {
	dataDir: string;
	/** Ed25519 public key of the coordinator the node obeys. */
	coordinatorPublicKey: Uint8Array;
	/** Where the node registers (multiaddr with /p2p/), optional. */
	coordinatorAddress?: string;
	/** Capacity when the folder is created; default 10 GiB. */
	capacityBytes?: number;
	bootstrap?: string[];
	/** Requests per second per peer. */
	rateLimit?: number;
	/** TEST-ONLY lying behaviours, as `--test-fault` spells them. */
	testFaults?: string[];
	/** TEST-ONLY: a file holding the ms the node's clock runs ahead (`--test-clock-file`). */
	testClockFile?: string;
}

/** A running node child process. */
export interface SpawnedNode {
	peerId: string;
	/** Listen multiaddrs with /p2p/ (TCP first, then WebSockets). */
	addresses: string[];
	dataDir: string;
	process: ChildProcess;
	/** Lines the process printed, for diagnostics. */
	output: string[];
	/** Sends `signal` (default SIGTERM: clean shutdown) and waits for the exit code. */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The node did not report ready. */
export class NodeStartError extends Error {
	override name = "NodeStartError";
}

async function exists(path: string): Promise<boolean> {
	return access(path).then(
		() => true,
		() => false,
	);
}

/**
 * Spawns one `coffre-node start` child process (initialising its folder if needed) and waits
 * until it listens.
 */
export async function spawnStorageNode(options: SpawnNodeOptions): Promise<SpawnedNode> {
	if (!(await exists(join(options.dataDir, NODE_IDENTITY_FILE)))) {
		await initNodeFolder(options.dataDir, options.capacityBytes ?? 10 * 2 ** 30);
	}
	const args = [
		LAUNCHER,
		"start",
		"--json",
		"--data",
		options.dataDir,
		"--coordinator-key",
		toHex(options.coordinatorPublicKey),
		"--listen",
		"/ip4/127.0.0.1/tcp/0",
		"--listen",
		"/ip4/127.0.0.1/tcp/0/ws",
		...(options.coordinatorAddress ? ["--coordinator", options.coordinatorAddress] : []),
		...(options.bootstrap ?? []).flatMap((a) => ["--bootstrap", a]),
		...(options.rateLimit ? ["--rate-limit", String(options.rateLimit)] : []),
		...(options.testFaults ?? []).flatMap((f) => ["--test-fault", f]),
		...(options.testClockFile ? ["--test-clock-file", options.testClockFile] : []),
	];
	const child = spawn(process.execPath, [...STORAGE_NODE_FLAGS, ...args], {
		stdio: ["ignore", "pipe", "pipe"],
	});
	const output: string[] = [];
	createInterface({ input: child.stderr }).on("line", (line) => output.push(line));
	const exited = new Promise<number | null>((resolve) =>
		child.once("exit", (code) => resolve(code)),
	);
	const ready = await new Promise<{ peerId: string; addresses: string[] }>((resolve, reject) => {
		const fail = (why: string) => reject(new NodeStartError(`${why}:\n${output.join("\n")}`));
		const timer = setTimeout(() => {
			child.kill("SIGKILL");
			fail(`node in ${options.dataDir} did not start in ${READY_TIMEOUT_MS} ms`);
		}, READY_TIMEOUT_MS);
		createInterface({ input: child.stdout }).on("line", (line) => {
			output.push(line);
			if (line.startsWith('{"event":"ready"')) {
				clearTimeout(timer);
				resolve(JSON.parse(line));
			}
		});
		void exited.then((code) => {
			clearTimeout(timer);
			fail(`node in ${options.dataDir} exited with ${code}`);
		});
	});
	return {
		peerId: ready.peerId,
		addresses: ready.addresses,
		dataDir: options.dataDir,
		process: child,
		output,
		async stop(signal: NodeJS.Signals = "SIGTERM") {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			return exited;
		},
	};
}

/** Options of `startLocalNetwork`. */
export interface LocalNetworkOptions {
	/** Number of nodes; default 6 (k = 4 of n = 6 needs six). */
	count?: number;
	/** Parent folder; node i lives in `<dataDir>/node-<i>`. */
	dataDir: string;
	/** The coordinator nodes trust and register with. */
	coordinator: { publicKey: Uint8Array; addresses?: string[] };
	/** Capacity of each new node folder; default 10 GiB. */
	capacityBytes?: number;
	/** TEST-ONLY: every node's clock runs ahead by the ms in this file (see SpawnNodeOptions). */
	testClockFile?: string;
}

/** A running local network. */
export interface LocalNetwork {
	nodes: { peerId: string; addresses: string[]; dataDir: string }[];
	/** Stops every node cleanly (SIGTERM) and waits for them. */
	stop(): Promise<void>;
}

/**
 * Starts `count` storage nodes as child processes; node 0 starts first and the others
 * bootstrap from it (joining its DHT).
 * @example const network = await startLocalNetwork({ dataDir: "./data/nodes", coordinator }); … await network.stop()
 */
export async function startLocalNetwork(options: LocalNetworkOptions): Promise<LocalNetwork> {
	const count = options.count ?? 6;
	const common = {
		coordinatorPublicKey: options.coordinator.publicKey,
		...(options.coordinator.addresses?.[0]
			? { coordinatorAddress: options.coordinator.addresses[0] }
			: {}),
		...(options.capacityBytes ? { capacityBytes: options.capacityBytes } : {}),
		...(options.testClockFile ? { testClockFile: options.testClockFile } : {}),
	};
	const spawned: SpawnedNode[] = [];
	const stop = async () => {
		await Promise.all(spawned.map((node) => node.stop()));
	};
	try {
		if (count > 0)
			spawned.push(await spawnStorageNode({ ...common, dataDir: join(options.dataDir, "node-0") }));
		const bootstrap = spawned[0] ? [spawned[0].addresses[0] as string] : [];
		const rest = await Promise.allSettled(
			Array.from({ length: Math.max(0, count - 1) }, (_, i) =>
				spawnStorageNode({ ...common, dataDir: join(options.dataDir, `node-${i + 1}`), bootstrap }),
			),
		);
		for (const result of rest) if (result.status === "fulfilled") spawned.push(result.value);
		const failed = rest.find((r) => r.status === "rejected");
		if (failed) throw failed.reason;
	} catch (err) {
		await stop();
		throw err;
	}
	return {
		nodes: spawned.map(({ peerId, addresses, dataDir }) => ({ peerId, addresses, dataDir })),
		stop,
	};
}
