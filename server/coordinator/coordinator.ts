// Minimal coordinator (DESIGN §5 Roles) until placement moves into the database: it holds the
// coordinator's Ed25519 key, signs storage tickets and delete orders, and keeps an in-memory
// directory of storage nodes fed by /coffre/register/1.0.0. It never reveals its secret key
// except to the process that created it.
import type { Connection, Stream } from "@libp2p/interface";
import type { Libp2p } from "libp2p";
import { createClientNode } from "../../p2p/node/client-node";
import { PeerRateLimiter, type RateLimit } from "../../p2p/node/rate-limiter";
import { MAX_FRAME_BYTES, STREAM_TIMEOUT_MS } from "../../p2p/protocols/limits";
import { signKFragTicket } from "../../p2p/protocols/reencrypt/ticket";
import {
	handleRegisterRequest,
	type NodeRecord,
	REGISTER_PROTOCOL,
} from "../../p2p/protocols/register/index";
import {
	type DeleteOrder,
	type StorageTicket,
	signDeleteOrder,
	signStorageTicket,
} from "../../p2p/protocols/shard/ticket";
import { serveStream } from "../../p2p/wire/rpc";
import { generateSigningKeys, type SignedEnvelope, signingPublicKey } from "../../p2p/wire/signed";

/** Default ticket validity: long enough to upload, short enough to be useless if leaked. */
export const TICKET_TTL_MS = 10 * 60_000;
/** Default lease a ticket grants; the coordinator renews leases of live files. */
export const LEASE_MS = 30 * 24 * 3_600_000;

/** The coordinator's signing authority over storage nodes. */
export interface CoordinatorSigner {
	/** Ed25519 public key nodes are configured to trust. */
	publicKey: Uint8Array;
	/** Signs a ticket letting `node` store the shard `root` of `size` bytes. */
	signTicket(args: {
		root: Uint8Array;
		size: number;
		node: string;
		ttlMs?: number;
		leaseMs?: number;
	}): SignedEnvelope;
	/** Signs an order for `node` to delete shard `root`. */
	signDelete(args: { root: Uint8Array; node: string; ttlMs?: number }): SignedEnvelope;
	/**
	 * Signs a ticket letting `node` keep the kfrag of share `shareId` under the signed policy
	 * whose SHA-256 is `policyHash` (DESIGN §7).
	 */
	signKFragTicket(args: {
		shareId: Uint8Array;
		policyHash: Uint8Array;
		node: string;
		ttlMs?: number;
	}): SignedEnvelope;
}

/**
 * A coordinator signer from a 32-byte Ed25519 secret key (fresh when omitted).
 * @example const signer = createCoordinatorSigner(); const ticket = signer.signTicket({ root, size, node: peerId.toString() })
 */
export function createCoordinatorSigner(
	secretKey = generateSigningKeys().secretKey,
): CoordinatorSigner {
	if (secretKey.length !== 32) throw new RangeError("coordinator secret key must be 32 bytes");
	return {
		publicKey: signingPublicKey(secretKey),
		signTicket({ root, size, node, ttlMs = TICKET_TTL_MS, leaseMs = LEASE_MS }) {
			const now = Date.now();
			const ticket: StorageTicket = {
				root,
				size,
				node,
				expiresAt: now + ttlMs,
				leaseUntil: now + leaseMs,
			};
			return signStorageTicket(ticket, secretKey);
		},
		signDelete({ root, node, ttlMs = TICKET_TTL_MS }) {
			const order: DeleteOrder = { root, node, expiresAt: Date.now() + ttlMs };
			return signDeleteOrder(order, secretKey);
		},
		signKFragTicket({ shareId, policyHash, node, ttlMs = TICKET_TTL_MS }) {
			return signKFragTicket(
				{ shareId, policyHash, node, expiresAt: Date.now() + ttlMs },
				secretKey,
			);
		},
	};
}

/** A running coordinator: signer + libp2p node serving register + node directory. */
export interface Coordinator extends CoordinatorSigner {
	libp2p: Libp2p;
	/** Registered storage nodes by peer id. */
	directory: Map<string, NodeRecord & { registeredAt: number }>;
	/** Multiaddrs (with /p2p/) nodes register at. */
	addresses: string[];
	stop(): Promise<void>;
}

/**
 * Starts a coordinator listening on `listen` (default 127.0.0.1, random TCP port).
 * @example const coordinator = await startCoordinator(); node config: coordinatorAddress = coordinator.addresses[0]
 */
export async function startCoordinator(
	options: {
		secretKey?: Uint8Array;
		listen?: string[];
		/** Register requests per peer; default 5 per second, bursts of 20. */
		rateLimit?: RateLimit;
		/** Register requests answered per stream; default 4. */
		maxRequestsPerStream?: number;
		/** Called after each verified registration (e.g. to record the node in the database). */
		onRegister?: (record: NodeRecord) => void | Promise<void>;
	} = {},
): Promise<Coordinator> {
	const signer = createCoordinatorSigner(options.secretKey);
	const libp2p = await createClientNode({ listen: options.listen ?? ["/ip4/127.0.0.1/tcp/0"] });
	const directory: Coordinator["directory"] = new Map();
	const limiter = new PeerRateLimiter(options.rateLimit ?? { perSecond: 5, burst: 20 });
	await libp2p.handle(
		REGISTER_PROTOCOL,
		(stream: Stream, connection: Connection) =>
			serveStream(
				stream,
				connection,
				{
					maxFrameBytes: MAX_FRAME_BYTES,
					timeoutMs: STREAM_TIMEOUT_MS,
					maxRequestsPerStream: options.maxRequestsPerStream ?? 4,
				},
				(peer) => limiter.take(peer.toString()),
				(message, sender) =>
					handleRegisterRequest(message, sender, (record) => {
						directory.set(record.peerId, { ...record, registeredAt: Date.now() });
						Promise.resolve(options.onRegister?.(record)).catch((error: unknown) =>
							console.error(`Recording storage node ${record.peerId} failed:`, error),
						);
					}),
			),
		{ maxInboundStreams: 8 },
	);
	return {
		...signer,
		libp2p,
		directory,
		addresses: libp2p.getMultiaddrs().map((a) => a.toString()),
		stop: async () => {
			await libp2p.stop();
		},
	};
}
