// What the storage node's protocol handlers share: its stores, identity, trusted coordinator
// key, clock, and the test-only fault injection switches that turn an honest node into a
// lying one.
import type { SecretKey } from "../../crypto/umbral";
import type { KFragStore } from "../proxy/kfrag-store";
import type { ReplayCache } from "../proxy/replay-cache";
import type { ShardStore } from "../store/shard-store";

/**
 * TEST-ONLY fault injection: makes a node misbehave the ways DESIGN §10 asks tests to catch.
 * Never set in production; the CLI only accepts it through its `--test-fault` flag.
 */
export interface TestFaults {
	/** `get` answers with one byte flipped. */
	serveWrongBytes?: boolean;
	/** `put` answers OK but drops the bytes; `has` still claims the shard. */
	claimDroppedShards?: boolean;
	/** `audit` answers with one byte of the block flipped. */
	wrongAudits?: boolean;
	/** Every answer waits this many ms first. */
	stallMs?: number;
	/** `reencrypt` answers a well-formed capsule fragment of another capsule (a lying proxy). */
	wrongCFrags?: boolean;
}

/** What the re-encryption protocol needs (DESIGN §7). */
export interface ProxyContext {
	kfrags: KFragStore;
	/** The node's secp256k1 encryption key as an Umbral key: kfrags are sealed to it. */
	secretKey: SecretKey;
	replay: ReplayCache;
}

/** State the protocol handlers of one storage node share. */
export interface NodeContext {
	store: ShardStore;
	/** This node's peer id as a string (tickets are addressed to it). */
	peerId: string;
	/** Ed25519 public key of the coordinator whose tickets and orders this node obeys. */
	coordinatorPublicKey: Uint8Array;
	proxy: ProxyContext;
	/** The node's clock (ms since the epoch); injectable so tests can move time. */
	now: () => number;
	faults: TestFaults;
	/** Roots a `claimDroppedShards` node pretends to hold. */
	claimed: Set<string>;
}

/** Waits the configured stall, if any (test fault). */
export async function stallIfFaulty(context: NodeContext): Promise<void> {
	const ms = context.faults.stallMs ?? 0;
	if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

/** A copy of `bytes` with its first byte flipped (test fault). */
export function corrupted(bytes: Uint8Array): Uint8Array {
	const copy = bytes.slice();
	if (copy.length > 0) copy[0] = (copy[0] as number) ^ 0xff;
	return copy;
}
