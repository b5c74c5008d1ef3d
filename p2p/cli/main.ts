// The `coffre-node` command line (DESIGN §5 Roles): `init` makes a node folder with its keys
// and capacity, `start` runs the storage node until SIGINT/SIGTERM, `status` reads a folder.
// Every command has --help (node:util parseArgs). It never prints secret keys.
import { parseArgs } from "node:util";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { initNodeFolder, loadNodeFolder, NodeFolderError } from "../node/node-keys";
import { createStorageNode, type StorageNode } from "../node/storage-node";
import type { TestFaults } from "../protocols/context";
import { openShardStore } from "../store/shard-store";
import { fromHex } from "../wire/hex";
import { formatSize, parseSize } from "./sizes";
import { fileOffsetClock } from "./test-clock";

const HELP = {
	main: `coffre-node — run a Coffre storage node (contribute disk to the network)

Usage:
  coffre-node init   --data <folder> --capacity <size>   create a node folder and its keys
  coffre-node start  --data <folder> --coordinator-key <hex> [options]   run the node
  coffre-node status --data <folder>                      show what the folder holds

Run \`coffre-node <command> --help\` for the options of a command.`,
	init: `coffre-node init — create a node folder with fresh keys

Options:
  --data <folder>      where shards and keys live (created if missing)
  --capacity <size>    disk to contribute, e.g. 10GiB, 500MB (default 10GiB)
  -h, --help           show this help`,
	start: `coffre-node start — run the storage node until Ctrl-C (SIGINT) or SIGTERM

Options:
  --data <folder>            a folder made by \`coffre-node init\`
  --coordinator-key <hex>    the coordinator's Ed25519 public key (64 hex characters);
                             the node stores only shards with tickets it signed
  --coordinator <multiaddr>  register with the coordinator at this address
  --listen <multiaddr>       listen address, repeatable
                             (default /ip4/0.0.0.0/tcp/4010 and /ip4/0.0.0.0/tcp/4011/ws)
  --bootstrap <multiaddr>    peer to dial at start (with /p2p/<id>), repeatable
  --rate-limit <n>           requests per second per peer (default 200)
  --json                     print status as JSON lines (for scripts)
  --test-fault <fault>       TEST ONLY: serve-wrong-bytes, claim-dropped-shards,
                             wrong-audits, wrong-cfrags, stall=<ms>; repeatable
  --test-clock-file <path>   TEST ONLY: run the node's clock ahead by the ms in this file
  -h, --help                 show this help`,
	status: `coffre-node status — show a node folder's identity and stored shards

Options:
  --data <folder>    a folder made by \`coffre-node init\`
  -h, --help         show this help`,
};

/** Wrong command line: printed with a pointer to --help, exit code 2. */
class UsageError extends Error {
	override name = "UsageError";
}

type Out = { log: (line: string) => void; error: (line: string) => void };

function requireData(values: { data?: string | undefined }): string {
	if (!values.data) throw new UsageError("--data <folder> is required");
	return values.data;
}

async function init(args: string[], out: Out): Promise<number> {
	const { values } = parseArgs({
		args,
		options: {
			data: { type: "string" },
			capacity: { type: "string" },
			help: { type: "boolean", short: "h" },
		},
	});
	if (values.help) {
		out.log(HELP.init);
		return 0;
	}
	const dataDir = requireData(values);
	const capacityBytes = parseSize(values.capacity ?? "10GiB");
	if (capacityBytes === null)
		throw new UsageError(`--capacity must be a size like 10GiB, not ${values.capacity}`);
	const identity = await initNodeFolder(dataDir, capacityBytes);
	const { peerIdFromPrivateKey } = await import("@libp2p/peer-id");
	out.log(`node folder ready: ${dataDir}`);
	out.log(`peer id: ${peerIdFromPrivateKey(identity.privateKey).toString()}`);
	out.log(`capacity: ${formatSize(capacityBytes)}`);
	out.log(
		`encryption public key: ${Buffer.from(secp256k1.getPublicKey(identity.encryptionSecretKey, true)).toString("hex")}`,
	);
	return 0;
}

function parseFaults(list: string[]): TestFaults {
	const faults: TestFaults = {};
	for (const fault of list) {
		if (fault === "serve-wrong-bytes") faults.serveWrongBytes = true;
		else if (fault === "claim-dropped-shards") faults.claimDroppedShards = true;
		else if (fault === "wrong-audits") faults.wrongAudits = true;
		else if (fault === "wrong-cfrags") faults.wrongCFrags = true;
		else if (/^stall=\d+$/.test(fault)) faults.stallMs = Number(fault.slice(6));
		else throw new UsageError(`unknown --test-fault ${fault}`);
	}
	return faults;
}

async function start(args: string[], out: Out, signals: NodeJS.EventEmitter): Promise<number> {
	const { values } = parseArgs({
		args,
		options: {
			data: { type: "string" },
			"coordinator-key": { type: "string" },
			coordinator: { type: "string" },
			listen: { type: "string", multiple: true },
			bootstrap: { type: "string", multiple: true },
			"rate-limit": { type: "string" },
			json: { type: "boolean" },
			"test-fault": { type: "string", multiple: true },
			"test-clock-file": { type: "string" },
			help: { type: "boolean", short: "h" },
		},
	});
	if (values.help) {
		out.log(HELP.start);
		return 0;
	}
	const dataDir = requireData(values);
	const coordinatorPublicKey = fromHex((values["coordinator-key"] ?? "").toLowerCase(), 32);
	if (coordinatorPublicKey === null)
		throw new UsageError("--coordinator-key must be 64 hex characters");
	const perSecond = Number(values["rate-limit"] ?? 200);
	if (!Number.isSafeInteger(perSecond) || perSecond < 1)
		throw new UsageError("--rate-limit must be a positive integer");
	const identity = await loadNodeFolder(dataDir);
	const json = values.json === true;
	const faults = parseFaults(values["test-fault"] ?? []);
	const node: StorageNode = await createStorageNode({
		dataDir,
		capacityBytes: identity.capacityBytes,
		privateKey: identity.privateKey,
		encryptionSecretKey: identity.encryptionSecretKey,
		coordinatorPublicKey,
		...(values.coordinator ? { coordinatorAddress: values.coordinator } : {}),
		listen: values.listen ?? ["/ip4/0.0.0.0/tcp/4010", "/ip4/0.0.0.0/tcp/4011/ws"],
		bootstrap: values.bootstrap ?? [],
		rateLimit: { perSecond, burst: perSecond * 2 },
		testFaults: faults,
		...(values["test-clock-file"] ? { now: fileOffsetClock(values["test-clock-file"]) } : {}),
		onCorruptShard: (rootHex) =>
			json
				? out.log(JSON.stringify({ event: "corrupt-shard", root: rootHex }))
				: out.error(`corrupt shard quarantined: ${rootHex}`),
	});
	await node.start();
	const status = node.status();
	if (json) {
		out.log(JSON.stringify({ event: "ready", ...status, testFaults: faults }));
	} else {
		out.log(`coffre-node running, peer id ${status.peerId}`);
		for (const address of status.addresses) out.log(`  listening on ${address}`);
		out.log(
			`  ${status.shards} shards, ${formatSize(status.usedBytes)} of ${formatSize(status.capacityBytes)} used`,
		);
		out.log(
			status.directWrites
				? "  shards are written straight to the disk (O_DIRECT)"
				: "  shards are written through the page cache (this file system does not take O_DIRECT)",
		);
		if (Object.keys(faults).length > 0) out.log(`  TEST FAULTS ON: ${JSON.stringify(faults)}`);
	}
	const signal = await new Promise<string>((resolve) => {
		signals.once("SIGINT", () => resolve("SIGINT"));
		signals.once("SIGTERM", () => resolve("SIGTERM"));
	});
	await node.stop();
	const final = node.status();
	if (json)
		out.log(
			JSON.stringify({
				event: "stopped",
				signal,
				shards: final.shards,
				usedBytes: final.usedBytes,
			}),
		);
	else out.log(`stopped on ${signal}; ${final.shards} shards kept`);
	return 0;
}

async function status(args: string[], out: Out): Promise<number> {
	const { values } = parseArgs({
		args,
		options: { data: { type: "string" }, help: { type: "boolean", short: "h" } },
	});
	if (values.help) {
		out.log(HELP.status);
		return 0;
	}
	const dataDir = requireData(values);
	const identity = await loadNodeFolder(dataDir);
	const { peerIdFromPrivateKey } = await import("@libp2p/peer-id");
	const store = await openShardStore({
		dir: dataDir,
		capacityBytes: identity.capacityBytes,
		readOnly: true,
	});
	out.log(`peer id: ${peerIdFromPrivateKey(identity.privateKey).toString()}`);
	out.log(`shards: ${store.count}`);
	out.log(`used: ${formatSize(store.usedBytes)} of ${formatSize(store.capacityBytes)}`);
	return 0;
}

/**
 * Runs `coffre-node` with `args` (without the program name); resolves to the exit code.
 * @example process.exitCode = await main(process.argv.slice(2))
 */
export async function main(
	args: string[],
	out: Out = { log: (l) => console.log(l), error: (l) => console.error(l) },
	signals: NodeJS.EventEmitter = process,
): Promise<number> {
	const [command, ...rest] = args;
	try {
		switch (command) {
			case "init":
				return await init(rest, out);
			case "start":
				return await start(rest, out, signals);
			case "status":
				return await status(rest, out);
			case undefined:
			case "help":
			case "-h":
			case "--help":
				out.log(HELP.main);
				return command === undefined ? 2 : 0;
			default:
				throw new UsageError(`unknown command ${command}`);
		}
	} catch (err) {
		const error = err as Error;
		if (
			error instanceof UsageError ||
			(error as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")
		) {
			out.error(`coffre-node: ${error.message}\nRun \`coffre-node --help\` for usage.`);
			return 2;
		}
		if (error instanceof NodeFolderError) {
			out.error(`coffre-node: ${error.message}`);
			return 1;
		}
		out.error(`coffre-node: ${error.name}: ${error.message}`);
		return 1;
	}
}
