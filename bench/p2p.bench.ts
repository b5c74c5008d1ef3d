// The storage network's figures: Reed-Solomon encode and reconstruct against the Rust crate in
// WASM, and shard put/get against a plain libp2p stream and a raw TCP socket, measured in the
// same run.
import { erasureFigures } from "./erasure";
import type { BenchFigure } from "./harness";
import { transferFigures } from "./transfer";

export default async function p2pBench(): Promise<BenchFigure[]> {
	return [...(await erasureFigures()), ...(await transferFigures())];
}
