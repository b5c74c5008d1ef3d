// The Rust reed-solomon-erasure crate built to WASM (npm @digitaldefiance/reed-solomon-erasure.wasm),
// wrapped for tests and benchmarks as an independent oracle of Coffre's Reed-Solomon coder.
// Its ESM build cannot find its own .wasm (it uses __dirname), so the bytes are read here.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ReedSolomonErasure } from "@digitaldefiance/reed-solomon-erasure.wasm";

let oracle: ReedSolomonErasure | undefined;

/** The oracle instance (loaded once). */
export function loadReedSolomonOracle(): ReedSolomonErasure {
	if (!oracle) {
		const require = createRequire(import.meta.url);
		const wasmPath = require.resolve("@digitaldefiance/reed-solomon-erasure.wasm/wasm");
		oracle = ReedSolomonErasure.fromBytes(readFileSync(wasmPath));
	}
	return oracle;
}

/** Lays k data shards (and room for m parity shards) out in one buffer, the oracle's format. */
export function toContiguous(dataShards: readonly Uint8Array[], parityShards: number): Uint8Array {
	const length = dataShards[0]?.length ?? 0;
	const buffer = new Uint8Array(length * (dataShards.length + parityShards));
	dataShards.forEach((shard, i) => {
		buffer.set(shard, i * length);
	});
	return buffer;
}

/** Parity computed by the oracle for the given data shards. */
export function oracleParity(
	dataShards: readonly Uint8Array[],
	parityShards: number,
): Uint8Array[] {
	const k = dataShards.length;
	const length = dataShards[0]?.length ?? 0;
	const buffer = toContiguous(dataShards, parityShards);
	const code = loadReedSolomonOracle().encode(buffer, k, parityShards);
	if (code !== ReedSolomonErasure.RESULT_OK) {
		throw new Error(`oracle encode failed: ${ReedSolomonErasure.getResultMessage(code)}`);
	}
	return Array.from({ length: parityShards }, (_, i) =>
		buffer.slice((k + i) * length, (k + i + 1) * length),
	);
}
