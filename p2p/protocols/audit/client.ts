// Challenger side of /coffre/audit/1.0.0: pick a random block and nonce, ask the node, and
// verify the block and its path against the shard root the challenger already trusts. Any
// failure — refusal, silence, wrong nonce, wrong proof — is a failed audit, never an exception.
import type { PeerId } from "@libp2p/interface";
import type { Multiaddr } from "@multiformats/multiaddr";
import { blockCount, verifyShardBlock } from "../../../crypto/merkle";
import { toHex } from "../../wire/hex";
import { callProtocol, type Dialer } from "../../wire/rpc";
import { MAX_FRAME_BYTES } from "../limits";
import {
	AUDIT_MESSAGE_VERSION,
	AUDIT_NONCE_BYTES,
	AUDIT_PROTOCOL,
	AUDIT_TIMEOUT_MS,
	MAX_PROOF_HASHES,
} from "./constants";

/** Outcome of one audit challenge. */
export type AuditResult =
	| { passed: true; index: number }
	| { passed: false; index: number; reason: string };

function randomIndex(count: number): number {
	const word = crypto.getRandomValues(new Uint32Array(1))[0] as number;
	return word % count;
}

/**
 * Challenges `peer` to prove it holds block `index` (random by default) of the shard
 * `root` of `size` bytes.
 * @example const result = await auditShard(libp2p, peerId, { root, size }); if (!result.passed) …
 */
export async function auditShard(
	dialer: Dialer,
	peer: PeerId | Multiaddr,
	shard: { root: Uint8Array; size: number },
	options: { index?: number; timeoutMs?: number } = {},
): Promise<AuditResult> {
	const count = blockCount(shard.size);
	const index = options.index ?? randomIndex(Math.max(count, 1));
	const nonce = crypto.getRandomValues(new Uint8Array(AUDIT_NONCE_BYTES));
	let response: Record<string, unknown>;
	try {
		response = await callProtocol(
			dialer,
			peer,
			AUDIT_PROTOCOL,
			{ v: AUDIT_MESSAGE_VERSION, root: shard.root, index, nonce },
			{ timeoutMs: options.timeoutMs ?? AUDIT_TIMEOUT_MS, maxResponseBytes: MAX_FRAME_BYTES },
		);
	} catch (err) {
		return { passed: false, index, reason: `${(err as Error).name}: ${(err as Error).message}` };
	}
	const { block, proof } = response;
	if (!(response.nonce instanceof Uint8Array) || toHex(response.nonce) !== toHex(nonce)) {
		return { passed: false, index, reason: "answer does not echo the challenge nonce" };
	}
	if (
		!(block instanceof Uint8Array) ||
		!Array.isArray(proof) ||
		proof.length > MAX_PROOF_HASHES ||
		!proof.every((p) => p instanceof Uint8Array)
	) {
		return { passed: false, index, reason: "answer is not a block with a proof" };
	}
	const valid = verifyShardBlock({ root: shard.root, shardSize: shard.size, index, block, proof });
	return valid
		? { passed: true, index }
		: { passed: false, index, reason: "block or proof does not match the root" };
}
