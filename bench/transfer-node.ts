// A storage node in its own process for the shard-transfer bench (bench/transfer.ts), as a
// volunteer's coffre-node runs beside the gateway: one libp2p node serving the shard protocol
// and the plain reference protocol. Not a benchmark itself (its name does not end in .bench.ts).
// Usage: transfer-node.ts <coordinator public key hex> <shard bytes>. Prints one JSON line
// { addr, peerId } once listening; stops and removes its data folder when stdin closes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromHex } from "../p2p/wire/hex";
import { randomBytes } from "./harness";
import { handlePlainStream, startBenchStorageNode } from "./transfer";

const [coordinatorKeyHex, shardBytes] = process.argv.slice(2);
if (!coordinatorKeyHex || !shardBytes) throw new Error("usage: transfer-node.ts <key hex> <bytes>");
const coordinatorPublicKey = fromHex(coordinatorKeyHex, 32);
if (!coordinatorPublicKey) throw new Error("the coordinator public key must be 32 bytes of hex");
const dir = await mkdtemp(join(tmpdir(), "coffre-bench-node-"));
const node = await startBenchStorageNode(dir, coordinatorPublicKey);
await handlePlainStream(node.libp2p, randomBytes(Number(shardBytes)));
const stop = async () => {
	await node.stop();
	await rm(dir, { recursive: true, force: true });
	process.exit(0);
};
process.stdin.on("end", stop);
process.stdin.resume();
console.log(
	JSON.stringify({
		addr: node.libp2p.getMultiaddrs()[0]?.toString(),
		peerId: node.peerId.toString(),
	}),
);
