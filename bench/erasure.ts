// Reed-Solomon figures for the P2P benchmark (composed into bench/p2p.bench.ts; run alone with
// `npm run bench -- erasure-only`): encode and reconstruct throughput, in MB/s of data, of
// Coffre's coder against the Rust reed-solomon-erasure crate in WASM measured in the same run,
// for k = 4, m = 2 and k = 10, m = 6 on 4 MiB chunks (DESIGN §5, issue 6).
import { ReedSolomonErasure } from "@digitaldefiance/reed-solomon-erasure.wasm";
import { createErasureCoder, splitIntoShards } from "../p2p/erasure";
import { loadReedSolomonOracle, toContiguous } from "../test/helpers/reed-solomon-oracle";
import type { BenchFigure } from "./harness";
import { randomBytes, throughputMBps } from "./harness";

const CHUNK_BYTES = 4 * 2 ** 20;
const CODES = [
	{ k: 4, m: 2 },
	{ k: 10, m: 6 },
] as const;
/** Data shards lost before reconstruction: the first two (the costly case: data to rebuild). */
const LOST = [0, 1];
const TIMING = { minMs: 1_500, minRuns: 10, warmup: 3 };

function expectOk(code: number): void {
	if (code !== ReedSolomonErasure.RESULT_OK) {
		throw new Error(`oracle failed: ${ReedSolomonErasure.getResultMessage(code)}`);
	}
}

/** Encode and reconstruct figures for one (k, m). */
async function measureCode(k: number, m: number): Promise<BenchFigure[]> {
	const oracle = loadReedSolomonOracle();
	const coder = createErasureCoder({ dataShards: k, parityShards: m });
	const dataShards = splitIntoShards(randomBytes(CHUNK_BYTES), k);
	const dataBytes = dataShards.length * (dataShards[0]?.length ?? 0);
	const parity = coder.encode(dataShards);
	const withLosses = [...dataShards, ...parity].map((shard, i) =>
		LOST.includes(i) ? null : shard,
	);
	const contiguous = toContiguous(dataShards, m);
	expectOk(oracle.encode(contiguous, k, m));
	const available = withLosses.map((shard) => shard !== null);

	const ours = {
		encode: await throughputMBps(() => coder.encode(dataShards), dataBytes, TIMING),
		reconstruct: await throughputMBps(() => coder.reconstruct(withLosses), dataBytes, TIMING),
	};
	const theirs = {
		encode: await throughputMBps(
			() => expectOk(oracle.encode(contiguous, k, m)),
			dataBytes,
			TIMING,
		),
		reconstruct: await throughputMBps(
			() => expectOk(oracle.reconstruct(contiguous, k, m, available)),
			dataBytes,
			TIMING,
		),
	};
	const note = `k=${k}, m=${m}, 4 MiB chunk, ${coder.kernel} kernel`;
	return (["encode", "reconstruct"] as const).map((operation) => ({
		name: `Reed-Solomon ${k}+${m} ${operation}${operation === "reconstruct" ? " (2 data shards lost)" : ""}`,
		unit: "MB/s",
		value: ours[operation],
		reference: "reed-solomon-erasure (Rust, WASM)",
		referenceValue: theirs[operation],
		goal: 1,
		higherIsBetter: true,
		note,
	}));
}

/** Reed-Solomon encode and reconstruct throughput, each as a ratio to the WASM oracle. */
export async function erasureFigures(): Promise<BenchFigure[]> {
	const figures: BenchFigure[] = [];
	for (const { k, m } of CODES) figures.push(...(await measureCode(k, m)));
	return figures;
}
