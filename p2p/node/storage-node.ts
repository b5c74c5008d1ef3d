// The Coffre storage node (DESIGN §5): a js-libp2p 3 node (TCP + WebSockets, Noise, Yamux,
// identify, ping, Kademlia DHT under /coffre/kad/1.0.0) with a connection gater, connection
// limits, per-peer rate limits and bounded, time-limited streams, serving the shard and audit
// protocols from its disk store, the re-encryption protocol from its kfrag store (DESIGN §7),
// and registering with the coordinator. It must never store a shard or a kfrag without a valid
// ticket nor let one peer's input crash it.
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { identify } from "@libp2p/identify";
import type { Connection, Ed25519PrivateKey, PeerId, Stream } from "@libp2p/interface";
import { kadDHT } from "@libp2p/kad-dht";
import { ping } from "@libp2p/ping";
import { tcp } from "@libp2p/tcp";
import { webSockets } from "@libp2p/websockets";
import { multiaddr } from "@multiformats/multiaddr";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { createLibp2p, type Libp2p } from "libp2p";
import { SecretKey } from "../../crypto/umbral";
import { AUDIT_PROTOCOL } from "../protocols/audit/constants";
import { handleAuditRequest } from "../protocols/audit/handler";
import type { NodeContext, TestFaults } from "../protocols/context";
import {
	CLOCK_SKEW_MS,
	MAX_FRAME_BYTES,
	MAX_INBOUND_STREAMS,
	MAX_OUTBOUND_STREAMS,
	MAX_REQUESTS_PER_STREAM,
	STREAM_TIMEOUT_MS,
} from "../protocols/limits";
import {
	DEFAULT_KFRAG_SWEEP_INTERVAL_MS,
	DEFAULT_MAX_KFRAGS,
	MAX_NONCES_PER_SHARE,
	MAX_REENCRYPT_FRAME_BYTES,
	MAX_REPLAY_SHARES,
	REENCRYPT_PROTOCOL,
	REENCRYPT_TIMEOUT_MS,
} from "../protocols/reencrypt/constants";
import { handleReencryptRequest } from "../protocols/reencrypt/handler";
import { registerNode, signNodeRecord } from "../protocols/register/index";
import { SHARD_PROTOCOL } from "../protocols/shard/constants";
import { handleShardRequest } from "../protocols/shard/handler";
import { type KFragStore, openKFragStore } from "../proxy/kfrag-store";
import { ReplayCache } from "../proxy/replay-cache";
import { openShardStore, type ShardStore } from "../store/shard-store";
import { type ServeLimits, type StreamIO, serveStream } from "../wire/rpc";
import { createConnectionGater, PeerBlocklist } from "./connection-gater";
import { identitySeed } from "./node-keys";
import { PeerRateLimiter, type RateLimit } from "./rate-limiter";

/** Rate-limit refusals after which a peer is blocked (an honest client backs off long before). */
export const ABUSE_STRIKES = 20;
/** How long an abusive peer stays blocked. */
export const ABUSE_BLOCK_MS = 60_000;

/** Private DHT protocol of the Coffre network. */
export const COFFRE_KAD_PROTOCOL = "/coffre/kad/1.0.0";

/** Everything a storage node needs to run. */
export interface StorageNodeConfig {
	/** Data folder (shards, tmp, quarantine). */
	dataDir: string;
	capacityBytes: number;
	/** The node's libp2p Ed25519 identity; its peer id addresses tickets. */
	privateKey: Ed25519PrivateKey;
	/** 32-byte secp256k1 secret whose public key is announced for Umbral work. */
	encryptionSecretKey: Uint8Array;
	/** Ed25519 public key of the coordinator whose tickets and orders the node obeys. */
	coordinatorPublicKey: Uint8Array;
	/** Multiaddr of the coordinator to register with at start (optional). */
	coordinatorAddress?: string;
	/** Listen multiaddrs; default TCP and WebSockets on 127.0.0.1, random ports. */
	listen?: string[];
	/** Peers dialled at start (their multiaddrs with /p2p/ ids) to join the DHT. */
	bootstrap?: string[];
	/** Per-peer request limit; default 200 per second, bursts of 400. */
	rateLimit?: RateLimit;
	/** Most open connections; default 256. */
	maxConnections?: number;
	/** Stream limits; defaults from protocols/limits. */
	streamLimits?: Partial<ServeLimits>;
	/** How often expired leases are swept, ms; default one minute. */
	leaseSweepIntervalMs?: number;
	/** Most kfrags (plus tombstones of retired shares) kept; default 50 000. */
	maxKFrags?: number;
	/** How often expired kfrags are deleted, ms; default one minute. */
	kfragSweepIntervalMs?: number;
	/** The node's clock for share policies and requests (ms); default Date.now. Tests move it. */
	now?: () => number;
	/** Peer ids refused at every stage. */
	denyPeers?: string[];
	/** TEST-ONLY fault injection (lying nodes). Never set outside tests. */
	testFaults?: TestFaults;
	/** Called with the root hex of each stored shard found corrupt. */
	onCorruptShard?: (rootHex: string) => void;
}

/** What `status()` reports. */
export interface StorageNodeStatus {
	peerId: string;
	/** Whether the coordinator accepted this node's record. */
	registered: boolean;
	addresses: string[];
	connections: number;
	shards: number;
	/** Kfrags held as a re-encryption proxy. */
	kfrags: number;
	usedBytes: number;
	capacityBytes: number;
	/** Shard files go straight to the disk (O_DIRECT), not through the page cache. */
	directWrites: boolean;
}

/** A running storage node; create it with `createStorageNode`. */
export class StorageNode {
	private sweepTimer: ReturnType<typeof setInterval> | undefined;
	private kfragSweepTimer: ReturnType<typeof setInterval> | undefined;

	constructor(
		readonly libp2p: Libp2p,
		readonly store: ShardStore,
		readonly kfrags: KFragStore,
		private readonly config: StorageNodeConfig,
		private readonly context: NodeContext,
		private readonly limiter: PeerRateLimiter,
		private readonly blocklist: PeerBlocklist,
	) {}

	get peerId(): PeerId {
		return this.libp2p.peerId;
	}

	/** Listen addresses with the /p2p/ suffix. */
	get addresses(): string[] {
		return this.libp2p.getMultiaddrs().map((a) => a.toString());
	}

	/** Starts listening, serving protocols, dialling bootstrap peers and registering. */
	async start(): Promise<void> {
		await this.libp2p.start();
		const limits: ServeLimits = {
			maxFrameBytes: MAX_FRAME_BYTES,
			timeoutMs: STREAM_TIMEOUT_MS,
			maxRequestsPerStream: MAX_REQUESTS_PER_STREAM,
			...this.config.streamLimits,
		};
		const admit = (peer: PeerId) => this.admit(peer);
		const handlerOptions = {
			maxInboundStreams: MAX_INBOUND_STREAMS,
			maxOutboundStreams: MAX_OUTBOUND_STREAMS,
		};
		const serve =
			(
				handle: (
					context: NodeContext,
					message: unknown,
					io: StreamIO,
				) => Promise<Record<string, unknown>>,
				streamLimits: ServeLimits = limits,
			) =>
			(stream: Stream, connection: Connection) =>
				serveStream(stream, connection, streamLimits, admit, (message, _peer, io) =>
					handle(this.context, message, io),
				);
		await this.libp2p.handle(SHARD_PROTOCOL, serve(handleShardRequest), handlerOptions);
		await this.libp2p.handle(AUDIT_PROTOCOL, serve(handleAuditRequest), handlerOptions);
		// Re-encryption messages are small and quick: tighter frame and time limits.
		const reencryptLimits: ServeLimits = {
			...limits,
			maxFrameBytes: Math.min(limits.maxFrameBytes, MAX_REENCRYPT_FRAME_BYTES),
			timeoutMs: Math.min(limits.timeoutMs, REENCRYPT_TIMEOUT_MS),
		};
		await this.libp2p.handle(
			REENCRYPT_PROTOCOL,
			serve(handleReencryptRequest, reencryptLimits),
			handlerOptions,
		);
		this.sweepTimer = setInterval(() => {
			this.store.sweepExpired().catch(() => undefined);
		}, this.config.leaseSweepIntervalMs ?? 60_000);
		this.sweepTimer.unref();
		this.kfragSweepTimer = setInterval(() => {
			this.kfrags.sweepExpired().catch(() => undefined);
		}, this.config.kfragSweepIntervalMs ?? DEFAULT_KFRAG_SWEEP_INTERVAL_MS);
		this.kfragSweepTimer.unref();
		await Promise.allSettled(
			(this.config.bootstrap ?? []).map((address) =>
				this.libp2p.dial(multiaddr(address), { signal: AbortSignal.timeout(10_000) }),
			),
		);
		if (this.config.coordinatorAddress) await this.keepRegistered(this.config.coordinatorAddress);
	}

	/** True once the coordinator accepted this node's record. */
	registered = false;
	private registerTimer: ReturnType<typeof setTimeout> | undefined;

	/** Registers now; on failure retries every 10 s in the background until it succeeds. */
	private async keepRegistered(address: string): Promise<void> {
		try {
			await this.registerWithCoordinator(address);
			this.registered = true;
		} catch {
			this.registerTimer = setTimeout(() => void this.keepRegistered(address), 10_000);
			this.registerTimer.unref();
		}
	}

	private readonly strikes = new Map<string, number>();

	/**
	 * Rate check for one request. A peer refused ABUSE_STRIKES times is blocked by the
	 * connection gater for ABUSE_BLOCK_MS and disconnected.
	 */
	private admit(peer: PeerId): boolean {
		const id = peer.toString();
		if (this.limiter.take(id)) return true;
		const strikes = (this.strikes.get(id) ?? 0) + 1;
		if (this.strikes.size > 10_000) this.strikes.clear();
		this.strikes.set(id, strikes);
		if (strikes >= ABUSE_STRIKES) {
			this.strikes.delete(id);
			this.blocklist.block(id, ABUSE_BLOCK_MS);
			void this.libp2p.hangUp(peer).catch(() => undefined);
		}
		return false;
	}

	/** Sends this node's signed record to the coordinator at `address`. */
	async registerWithCoordinator(address: string): Promise<void> {
		const record = signNodeRecord(
			{
				peerId: this.peerId.toString(),
				addresses: this.addresses.slice(0, 16),
				capacityBytes: this.config.capacityBytes,
				encryptionPublicKey: secp256k1.getPublicKey(this.config.encryptionSecretKey, true),
				issuedAt: Date.now(),
			},
			identitySeed(this.config.privateKey),
		);
		await registerNode(this.libp2p, multiaddr(address), record);
	}

	/** Stops serving and closes every connection; the store stays consistent on disk. */
	async stop(): Promise<void> {
		if (this.sweepTimer) clearInterval(this.sweepTimer);
		if (this.kfragSweepTimer) clearInterval(this.kfragSweepTimer);
		if (this.registerTimer) clearTimeout(this.registerTimer);
		await this.libp2p.stop();
	}

	status(): StorageNodeStatus {
		return {
			peerId: this.peerId.toString(),
			registered: this.registered,
			addresses: this.addresses,
			connections: this.libp2p.getConnections().length,
			shards: this.store.count,
			kfrags: this.kfrags.count,
			usedBytes: this.store.usedBytes,
			capacityBytes: this.store.capacityBytes,
			directWrites: this.store.writesDirect,
		};
	}
}

/**
 * Creates (not yet started) a storage node from its config.
 * @example const node = await createStorageNode({ dataDir, capacityBytes, privateKey, encryptionSecretKey, coordinatorPublicKey }); await node.start()
 */
export async function createStorageNode(config: StorageNodeConfig): Promise<StorageNode> {
	const store = await openShardStore({
		dir: config.dataDir,
		capacityBytes: config.capacityBytes,
		...(config.onCorruptShard ? { onCorrupt: config.onCorruptShard } : {}),
	});
	const now = config.now ?? Date.now;
	const kfrags = await openKFragStore({
		dir: config.dataDir,
		maxEntries: config.maxKFrags ?? DEFAULT_MAX_KFRAGS,
		now,
	});
	const blocklist = new PeerBlocklist(new Set(config.denyPeers ?? []));
	const libp2p = await createLibp2p({
		start: false,
		privateKey: config.privateKey,
		addresses: { listen: config.listen ?? ["/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/tcp/0/ws"] },
		transports: [tcp(), webSockets()],
		connectionEncrypters: [noise()],
		streamMuxers: [yamux()],
		connectionGater: createConnectionGater(blocklist),
		connectionManager: {
			maxConnections: config.maxConnections ?? 256,
			maxIncomingPendingConnections: 32,
			// Per-host connection attempts per second; local networks share one host.
			inboundConnectionThreshold: 100,
		},
		services: {
			identify: identify(),
			ping: ping(),
			dht: kadDHT({
				protocol: COFFRE_KAD_PROTOCOL,
				clientMode: false,
				peerInfoMapper: (info) => info,
			}),
		},
	});
	const context: NodeContext = {
		store,
		peerId: libp2p.peerId.toString(),
		coordinatorPublicKey: config.coordinatorPublicKey,
		proxy: {
			kfrags,
			secretKey: SecretKey.fromBytes(config.encryptionSecretKey),
			replay: new ReplayCache(CLOCK_SKEW_MS, MAX_NONCES_PER_SHARE, MAX_REPLAY_SHARES, now),
		},
		now,
		faults: config.testFaults ?? {},
		claimed: new Set(),
	};
	const limiter = new PeerRateLimiter(config.rateLimit ?? { perSecond: 200, burst: 400 });
	return new StorageNode(libp2p, store, kfrags, config, context, limiter, blocklist);
}
