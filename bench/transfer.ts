// Shard transfer figures (issue 6 Performance): put and get of a 4 MiB shard between two libp2p
// nodes over loopback (TCP + Noise + Yamux), against (a) a plain libp2p stream moving the same
// bytes in the same 64 KiB sends with no protocol logic on the same kind of nodes, and (b) a raw
// TCP socket. Shard and plain transfers alternate in rounds. The caller runs in a process of its
// own with the gateway's Node.js flags (bench/transfer-caller.ts); the goal figures run the
// storage node in yet another process with the node's flags (bench/transfer-node.ts), as
// deployed; the same figures with the node inside the caller's process are kept as context.
// Composed into bench/p2p.bench.ts.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey, Stream } from "@libp2p/interface";
import { type Multiaddr, multiaddr } from "@multiformats/multiaddr";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { Libp2p } from "libp2p";
import { createClientNode } from "../p2p/node/client-node";
import { STORAGE_NODE_FLAGS } from "../p2p/node/runtime-flags";
import { createStorageNode } from "../p2p/node/storage-node";
import { getShard, putShard } from "../p2p/protocols/shard/client";
import { toHex } from "../p2p/wire/hex";
import { nativeShardRoot as shardRoot } from "../p2p/wire/native-merkle";
import type { SignedEnvelope } from "../p2p/wire/signed";
import { WEB_APP_NODE_FLAGS } from "../scripts/web-app-runtime";
import { type CoordinatorSigner, createCoordinatorSigner } from "../server/coordinator/coordinator";
import { type BenchFigure, median, medianMs, randomBytes, throughputMBps } from "./harness";
import { cpuSeconds } from "./process-usage";
import { type RatioInterval, speedRatioInterval } from "./ratio-interval";

const SHARD_BYTES = 4 * 2 ** 20;
/** The plain reference protocol: bytes one way on one stream, no protocol logic. */
const PLAIN_PROTOCOL = "/coffre-bench/plain/1.0.0";
/** Raw TCP reference timing (context only). */
const TIMING = { minMs: 2_000, minRuns: 5, warmup: 2 };
/** Shard and plain transfers are timed in alternating rounds: the machine is shared and drifts. */
/**
 * Each operation starts a round this many times: the order turns by one each round, so every
 * operation follows every other equally often. (In one fixed order a get always came after the
 * plain upload, and the puts' file syncs and the node's collections fell on the same neighbours
 * every round: get measured 0.55–0.63× of the plain stream in three runs, and 0.66–0.73× in
 * three runs turning the order, on the same machine the same hour.)
 */
const ROTATIONS = 3;
const RUNS_PER_ROUND = 4;
const WARMUP_RUNS = 2;

/** One timed operation; `setup` runs before each call, outside the timing. */
interface Timed {
	setup?: () => unknown;
	run: (prepared: unknown) => Promise<unknown>;
}

/** CPU ms used so far by the caller (this process) and by the node (null: not measurable). */
type CpuReading = () => Promise<{ caller: number; node: number } | null>;

/** Mean CPU ms of one call of an operation, at each end. */
export interface TransferCpu {
	caller: number;
	node: number;
}

/**
 * MB/s of each operation moving `bytes`, timed in rounds that take every operation in turn
 * (RUNS_PER_ROUND calls each), each round starting one operation later than the one before
 * (ROTATIONS times around); the figure is the median of all of an operation's timed
 * calls. A median, not a mean: single transfers here are bimodal (the plain stream's took
 * 10–15 ms or 33–38 ms in runs of two), so means of a few calls swung a figure by 1.7× from
 * one bench run to the next; the median is the same statistic for every operation.
 * With `readCpu`, also each operation's mean CPU per call at both ends, read around each
 * round's block of calls (the node's CPU is counted in 10 ms ticks; a block takes ~100 ms).
 */
async function alternatingThroughput<K extends string>(
	operations: Record<K, Timed>,
	bytes: number,
	readCpu?: CpuReading,
): Promise<{
	rates: Record<K, number>;
	times: Record<K, number[]>;
	cpu: Record<K, TransferCpu> | null;
}> {
	const entries = Object.entries(operations) as [K, Timed][];
	for (const [, op] of entries) for (let i = 0; i < WARMUP_RUNS; i++) await op.run(op.setup?.());
	const samples = new Map<K, number[]>(entries.map(([name]) => [name, []]));
	const cpuTotals = new Map<K, TransferCpu>(
		entries.map(([name]) => [name, { caller: 0, node: 0 }]),
	);
	let cpuMeasured = readCpu !== undefined;
	const rounds = ROTATIONS * entries.length;
	for (let round = 0; round < rounds; round++) {
		const first = round % entries.length;
		for (const [name, op] of [...entries.slice(first), ...entries.slice(0, first)]) {
			// Prepared before the CPU is read: a put's ticket is not the transfer's work.
			const preparedRuns = Array.from({ length: RUNS_PER_ROUND }, () => op.setup?.());
			const before = cpuMeasured ? await readCpu?.() : null;
			for (const prepared of preparedRuns) {
				const t0 = performance.now();
				await op.run(prepared);
				samples.get(name)?.push(performance.now() - t0);
			}
			const after = cpuMeasured ? await readCpu?.() : null;
			const total = cpuTotals.get(name);
			if (before && after && total) {
				total.caller += after.caller - before.caller;
				total.node += after.node - before.node;
			} else cpuMeasured = false;
		}
	}
	const rates = {} as Record<K, number>;
	const times = {} as Record<K, number[]>;
	for (const [name, ms] of samples) {
		rates[name] = bytes / 1e6 / (median(ms) / 1e3);
		times[name] = ms;
	}
	if (!cpuMeasured) return { rates, times, cpu: null };
	const calls = rounds * RUNS_PER_ROUND;
	const cpu = {} as Record<K, TransferCpu>;
	for (const [name, total] of cpuTotals)
		cpu[name] = { caller: total.caller / calls, node: total.node / calls };
	return { rates, times, cpu };
}

/** Reads a stream to its end, returning the byte count. */
async function drain(stream: Stream): Promise<number> {
	let total = 0;
	for await (const chunk of stream) total += chunk.byteLength;
	return total;
}

/** Sends `total` bytes (`data` repeated) in 64 KiB sends, waiting whenever the stream is full. */
async function sendRepeated(stream: Stream, data: Uint8Array, total: number): Promise<void> {
	for (let sent = 0; sent < total; ) {
		const offset = sent % data.length;
		const piece = data.subarray(
			offset,
			Math.min(data.length, offset + 65_536, offset + total - sent),
		);
		sent += piece.length;
		if (!stream.send(piece)) await stream.onDrain();
	}
}

/**
 * Serves the plain reference protocol on `server`: "get:<bytes>" asks for that many bytes
 * (`data` repeated); anything else is an upload, drained and acknowledged with one byte.
 * Same transport stack as the shard protocol, no framing, CBOR, hashing or disk.
 */
export async function handlePlainStream(server: Libp2p, data: Uint8Array): Promise<void> {
	await server.handle(PLAIN_PROTOCOL, async (stream) => {
		const { get } = await drainOrCommand(stream);
		if (get !== undefined) await sendRepeated(stream, data, get);
		else stream.send(Uint8Array.of(1));
		await stream.close();
	});
}

/** Uploads `total` bytes (`data` repeated) on one plain stream and waits for the ack. */
export async function plainUpload(
	client: Libp2p,
	target: Multiaddr,
	data: Uint8Array,
	total = data.length,
): Promise<void> {
	const stream = await client.dialProtocol(target, PLAIN_PROTOCOL);
	await sendRepeated(stream, data, total);
	await stream.close();
	await drain(stream);
}

/** Downloads `total` bytes on one plain stream, checking that all of them arrived. */
export async function plainDownload(
	client: Libp2p,
	target: Multiaddr,
	total: number,
): Promise<void> {
	const stream = await client.dialProtocol(target, PLAIN_PROTOCOL);
	stream.send(new TextEncoder().encode(`get:${total}`));
	await stream.close();
	const received = await drain(stream);
	if (received !== total) throw new Error(`plain stream delivered ${received} of ${total} bytes`);
}

/** Raw TCP: the client writes the bytes and waits for a one-byte ack (upload) or the reverse. */
async function rawTcp(
	data: Uint8Array,
): Promise<{ upload: number; download: number; close: () => void }> {
	const server = createServer((socket) => {
		let received = 0;
		socket.on("data", (chunk: Buffer) => {
			if (chunk[0] === 0x47 && chunk.length === 1 && received === 0) {
				socket.write(data);
				return;
			}
			received += chunk.length;
			if (received === data.length) {
				received = 0;
				socket.write(Uint8Array.of(1));
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const port = (server.address() as { port: number }).port;
	const socket: Socket = await new Promise((resolve) => {
		const s = connect(port, "127.0.0.1", () => resolve(s));
	});
	socket.setNoDelay(true);
	const next = (bytes: number) =>
		new Promise<void>((resolve) => {
			let got = 0;
			const onData = (chunk: Buffer) => {
				got += chunk.length;
				if (got >= bytes) {
					socket.off("data", onData);
					resolve();
				}
			};
			socket.on("data", onData);
		});
	const upload = await throughputMBps(
		async () => {
			const ack = next(1);
			socket.write(data);
			await ack;
		},
		data.length,
		TIMING,
	);
	const download = await throughputMBps(
		async () => {
			const all = next(data.length);
			socket.write(Uint8Array.of(0x47));
			await all;
		},
		data.length,
		TIMING,
	);
	return {
		upload,
		download,
		close: () => {
			socket.destroy();
			server.close();
		},
	};
}

/**
 * A started storage node on a random loopback port, trusting `coordinatorPublicKey`, with its
 * data in `dataDir`; rate limits out of the way of the measurement.
 */
export async function startBenchStorageNode(dataDir: string, coordinatorPublicKey: Uint8Array) {
	const node = await createStorageNode({
		dataDir,
		capacityBytes: 2 ** 34,
		privateKey: (await generateKeyPair("Ed25519")) as Ed25519PrivateKey,
		encryptionSecretKey: secp256k1.utils.randomSecretKey(),
		coordinatorPublicKey,
		listen: ["/ip4/127.0.0.1/tcp/0"],
		rateLimit: { perSecond: 1e6, burst: 1e6 },
	});
	await node.start();
	return node;
}

type Operation = "put" | "putFresh" | "get" | "getFresh" | "plainUp" | "plainDown";

/**
 * Put and get through the shard protocol and the plain-stream references, against one node:
 * MB/s, and with the node in a process of its own, CPU per transfer at each end.
 */
interface TransferRates {
	rates: Record<Operation, number>;
	/** Every timed call's ms, per operation. */
	times: Record<Operation, number[]>;
	cpu: Record<Operation, TransferCpu> | null;
}

/** A put made ready before it is timed: a shard not stored yet, with its ticket. */
interface PreparedPut {
	shard: Uint8Array;
	ticket: SignedEnvelope;
}

async function measureTransfers(
	client: Libp2p,
	target: Multiaddr,
	nodePeerId: string,
	signer: CoordinatorSigner,
	data: Uint8Array,
	readCpu?: CpuReading,
): Promise<TransferRates> {
	const ticketFor = (shard: Uint8Array) =>
		signer.signTicket({ root: shardRoot(shard), size: shard.length, node: nodePeerId });
	const stored = data.slice();
	await putShard(client, target, { ticket: ticketFor(stored), data: stored });
	const storedRoot = shardRoot(stored);
	// A round's puts are prepared together, so each takes its own buffer from this ring.
	const uploads = Array.from({ length: RUNS_PER_ROUND }, () => data.slice());
	let puts = 0;
	const nextPut = (): PreparedPut => {
		puts++;
		const shard = uploads[puts % uploads.length] as Uint8Array;
		shard[0] = ((data[0] as number) + puts) & 0xff;
		shard[1] = ((data[1] as number) + (puts >> 8)) & 0xff;
		return { shard, ticket: ticketFor(shard) };
	};
	return alternatingThroughput(
		{
			// A fresh shard each run, so the node really writes it (an existing root only renews).
			// Its root and ticket are the coordinator's and uploader's work before a put, so they
			// are prepared outside the timed call, which is the transfer alone.
			put: {
				setup: nextPut,
				run: (prepared) => {
					const { shard, ticket } = prepared as PreparedPut;
					return putShard(client, target, { ticket, data: shard });
				},
			},
			putFresh: {
				setup: nextPut,
				run: (prepared) => {
					const { shard, ticket } = prepared as PreparedPut;
					return putShard(client, target, { ticket, data: shard }, { reuseStream: false });
				},
			},
			plainUp: { run: () => plainUpload(client, target, data) },
			get: { run: () => getShard(client, target, storedRoot) },
			getFresh: { run: () => getShard(client, target, storedRoot, { reuseStream: false }) },
			plainDown: { run: () => plainDownload(client, target, data.length) },
		},
		data.length,
		readCpu,
	);
}

/** The node in this process: every cost of both ends adds up on one thread. */
async function inProcessTransfers(
	client: Libp2p,
	signer: CoordinatorSigner,
	data: Uint8Array,
): Promise<TransferRates> {
	const dir = await mkdtemp(join(tmpdir(), "coffre-bench-"));
	const node = await startBenchStorageNode(dir, signer.publicKey);
	try {
		// The plain reference: same node, same transport stack, no protocol logic.
		await handlePlainStream(node.libp2p, data);
		const target = node.libp2p.getMultiaddrs()[0] as Multiaddr;
		return await measureTransfers(client, target, node.peerId.toString(), signer, data);
	} finally {
		await node.stop();
		await rm(dir, { recursive: true, force: true });
	}
}

/** The node in its own process (bench/transfer-node.ts), as a volunteer's coffre-node runs. */
async function separateProcessTransfers(
	client: Libp2p,
	signer: CoordinatorSigner,
	data: Uint8Array,
): Promise<TransferRates> {
	const child = spawn(
		process.execPath,
		[
			...STORAGE_NODE_FLAGS,
			"--import",
			"tsx",
			join(import.meta.dirname, "transfer-node.ts"),
			toHex(signer.publicKey),
			String(data.length),
		],
		{ stdio: ["pipe", "pipe", "inherit"] },
	);
	try {
		const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
		const { addr, peerId } = JSON.parse(line) as { addr: string; peerId: string };
		const nodePid = child.pid;
		// This process's CPU in µs, the node's from /proc (Linux; elsewhere no CPU figures).
		const readCpu: CpuReading = async () => {
			if (nodePid === undefined || process.platform !== "linux") return null;
			const { user, system } = process.cpuUsage();
			return { caller: (user + system) / 1000, node: (await cpuSeconds([nodePid])) * 1000 };
		};
		return await measureTransfers(client, multiaddr(addr), peerId, signer, data, readCpu);
	} finally {
		child.stdin.end();
		await once(child, "exit");
	}
}

/** Everything the transfer figures are made of, measured by one caller process. */
export interface TransferMeasurements {
	apart: TransferRates;
	together: TransferRates;
	tcp: { upload: number; download: number };
	/** ms of one 4 MiB shard's Merkle root on node:crypto (median): the check each end makes. */
	rootMs: number;
}

/**
 * Measures put and get through the shard protocol and the plain-stream and raw TCP references,
 * with this process as the caller (bench/transfer-caller.ts runs it in its own process).
 */
export async function measureTransferRates(): Promise<TransferMeasurements> {
	const signer = createCoordinatorSigner();
	const data = randomBytes(SHARD_BYTES);
	const client = await createClientNode();
	try {
		const apart = await separateProcessTransfers(client, signer, data);
		const together = await inProcessTransfers(client, signer, data);
		const tcp = await rawTcp(data);
		tcp.close();
		const rootMs = await medianMs(() => shardRoot(data), { minMs: 500 });
		return { apart, together, tcp: { upload: tcp.upload, download: tcp.download }, rootMs };
	} finally {
		await client.stop();
	}
}

/**
 * Runs the measurements in a caller process of their own with the web app's Node.js flags, as
 * the gateway that calls storage nodes runs: the bench's own process has other benches' heap and
 * default flags, whose garbage collection swung the plain reference by 1.7× from run to run.
 * Not the web app's V8 heap-growth flag: it is tuned to the web app's far larger heap
 * (scripts/web-app-runtime.ts), and on this bare caller it doubled the time of every get and
 * of the plain download alike.
 */
async function measureInCallerProcess(): Promise<TransferMeasurements> {
	const caller = spawn(
		process.execPath,
		[...WEB_APP_NODE_FLAGS, "--import", "tsx", join(import.meta.dirname, "transfer-caller.ts")],
		{ stdio: ["ignore", "pipe", "inherit"] },
	);
	let output = "";
	caller.stdout.on("data", (chunk: Buffer) => {
		output += chunk.toString("utf8");
	});
	const [code] = (await once(caller, "exit")) as [number | null];
	const last = output.trim().split("\n").at(-1);
	if (code !== 0 || last === undefined)
		throw new Error(`the transfer caller failed (exit ${code})`);
	return JSON.parse(last) as TransferMeasurements;
}

/** Put and get MB/s through the shard protocol, and the plain-stream and raw TCP references. */
export async function transferFigures(): Promise<BenchFigure[]> {
	const { apart, together, tcp, rootMs } = await measureInCallerProcess();
	const note =
		"4 MiB shard, loopback, TCP + Noise + Yamux; put includes the node's ticket check, Merkle root and fsync (ticket signed before timing); get includes the node's and the caller's Merkle checks; caller and node each in a process of its own with the gateway's and the node's Node.js flags; put and get run on the stream the caller's previous call to the node left open, as a gateway's calls do (the plain reference opens a stream per transfer; the figures 'on a fresh stream' open one per call too)";
	const figure = (
		name: string,
		value: number,
		reference: string,
		referenceValue: number,
		goal: number,
		where: string,
		ratioInterval?: RatioInterval,
	): BenchFigure => ({
		name,
		unit: "MB/s",
		value,
		reference,
		referenceValue,
		goal,
		higherIsBetter: true,
		note: `${note}; ${where}`,
		...(ratioInterval ? { ratioInterval } : {}),
	});
	const apartNote =
		"the node in its own process, as a volunteer's coffre-node runs beside the gateway (each end on its own core)";
	const togetherNote =
		"node and caller in one process, every cost of both ends on one thread: context, no goal";
	const { rates, times } = apart;
	return [
		figure(
			"shard put",
			rates.put,
			"plain libp2p stream upload",
			rates.plainUp,
			0.7,
			apartNote,
			speedRatioInterval(times.put, times.plainUp),
		),
		figure(
			"shard get",
			rates.get,
			"plain libp2p stream download",
			rates.plainDown,
			0.7,
			apartNote,
			speedRatioInterval(times.get, times.plainDown),
		),
		figure(
			"shard put, node in the caller's process",
			together.rates.put,
			"plain libp2p stream upload",
			together.rates.plainUp,
			0,
			togetherNote,
		),
		figure(
			"shard get, node in the caller's process",
			together.rates.get,
			"plain libp2p stream download",
			together.rates.plainDown,
			0,
			togetherNote,
		),
		figure(
			"shard put, on a fresh stream",
			rates.putFresh,
			"plain libp2p stream upload",
			rates.plainUp,
			0,
			`${apartNote}; a stream opened for each put: context, no goal`,
		),
		figure(
			"shard get, on a fresh stream",
			rates.getFresh,
			"plain libp2p stream download",
			rates.plainDown,
			0,
			`${apartNote}; a stream opened for each get: context, no goal`,
		),
		figure("shard put vs raw TCP", rates.put, "raw TCP socket upload", tcp.upload, 0, apartNote),
		figure(
			"shard get vs raw TCP",
			rates.get,
			"raw TCP socket download",
			tcp.download,
			0,
			apartNote,
		),
		...(apart.cpu ? cpuFigures(apart.cpu, rootMs) : []),
	];
}

/**
 * Context (no goal): MB moved per CPU-second of both ends together, shard protocol against the
 * plain stream, with each end's CPU per transfer and what the Merkle check alone costs. Where
 * both ends keep the machine's cores busy, the speed ratios follow these.
 */
function cpuFigures(cpu: Record<Operation, TransferCpu>, rootMs: number): BenchFigure[] {
	const perCpuSecond = ({ caller, node }: TransferCpu) =>
		SHARD_BYTES / 1e6 / ((caller + node) / 1000);
	const ends = ({ caller, node }: TransferCpu) =>
		`caller ${caller.toFixed(1)} ms + node ${node.toFixed(1)} ms`;
	const figure = (
		name: string,
		shard: TransferCpu,
		reference: string,
		plain: TransferCpu,
		checks: string,
	): BenchFigure => ({
		name,
		unit: "MB/CPU-s",
		value: perCpuSecond(shard),
		reference,
		referenceValue: perCpuSecond(plain),
		goal: 0,
		higherIsBetter: true,
		note: `CPU per 4 MiB transfer, the node in its own process (mean of ${ROTATIONS * Object.keys(cpu).length * RUNS_PER_ROUND}; the node's read from /proc): shard ${ends(shard)}, plain stream ${ends(plain)}. A 4 MiB shard's Merkle root (SHA-256 on node:crypto) takes ${rootMs.toFixed(1)} ms here; ${checks}. Context, no goal.`,
	});
	return [
		figure(
			"shard put CPU efficiency",
			cpu.put,
			"plain libp2p stream upload",
			cpu.plainUp,
			"a put computes it at the node, which also writes and syncs the file",
		),
		figure(
			"shard get CPU efficiency",
			cpu.get,
			"plain libp2p stream download",
			cpu.plainDown,
			"a get computes it at both ends, and the node reads the file",
		),
	];
}

/** Server side of the plain protocol: "get:<bytes>" asks for bytes, anything else is an upload. */
async function drainOrCommand(stream: Stream): Promise<{ get?: number }> {
	let total = 0;
	let first: Uint8Array | undefined;
	for await (const chunk of stream) {
		if (first === undefined) first = chunk instanceof Uint8Array ? chunk : chunk.subarray();
		total += chunk.byteLength;
	}
	const command =
		total < 32 && first ? /^get:(\d{1,12})$/.exec(new TextDecoder().decode(first)) : null;
	return command ? { get: Number(command[1]) } : {};
}
