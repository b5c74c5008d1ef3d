// The gateway between HTTP and the storage network (DESIGN §5, §7): it stores and fetches sealed
// shards on storage nodes through a libp2p client node, with storage tickets signed by the
// coordinator for exactly one node, root and size; and it relays sharing to the nodes acting as
// re-encryption proxies — kfrags sealed to each node (with a coordinator kfrag ticket), signed
// re-encryption requests and revocations. It only ever carries sealed or public bytes.
import { multiaddr } from "@multiformats/multiaddr";
import type { Libp2p } from "libp2p";
import { sharePolicyHash } from "../../crypto/sharing";
import { createClientNode } from "../../p2p/node/client-node";
import { requestCFrag, revokeShare, storeKFrag } from "../../p2p/protocols/reencrypt/client";
import {
	deleteShard,
	getShard,
	putShard,
	type ShardBody,
	shardBodyLength,
} from "../../p2p/protocols/shard/client";
import type { CoordinatorSigner } from "../coordinator/coordinator";

/** A node to reach: its peer id and the multiaddrs it registered (with /p2p/). */
export interface ShardTarget {
	peerId: string;
	addresses: string[];
}

/** How long one shard transfer may take before the node counts as unavailable. */
export const SHARD_TRANSFER_TIMEOUT_MS = 30_000;
/** How long a proxy may take to store, re-encrypt or revoke. */
export const PROXY_CALL_TIMEOUT_MS = 10_000;

export interface ShardGateway {
	store(target: ShardTarget, shard: { root: Uint8Array; data: ShardBody }): Promise<void>;
	fetch(target: ShardTarget, root: Uint8Array): Promise<Uint8Array>;
	/** Asks the node to delete a shard (coordinator-signed order); true when it held it. */
	release(target: ShardTarget, root: Uint8Array): Promise<boolean>;
	/** Stores a share's kfrag, sealed to the node, with its signed policy and a kfrag ticket. */
	storeKFrag(
		target: ShardTarget,
		kfrag: { shareId: Uint8Array; policy: Uint8Array; sealedKFrag: Uint8Array },
	): Promise<void>;
	/** Relays a recipient's signed re-encryption request; returns the capsule fragment. */
	requestCFrag(target: ShardTarget, signedRequest: Uint8Array): Promise<Uint8Array>;
	/** Relays an owner's signed revocation. */
	revokeShare(target: ShardTarget, signedRevocation: Uint8Array): Promise<void>;
	stop(): Promise<void>;
}

async function firstThatWorks<T>(
	target: ShardTarget,
	attempt: (address: ReturnType<typeof multiaddr>) => Promise<T>,
): Promise<T> {
	let lastError: unknown = new Error(`storage node ${target.peerId} has no address`);
	for (const address of target.addresses) {
		try {
			return await attempt(multiaddr(address));
		} catch (error) {
			lastError = error;
		}
	}
	throw lastError;
}

export async function createShardGateway({
	signer,
	client,
}: {
	signer: CoordinatorSigner;
	/** An existing libp2p node to dial from; one is created (and stopped with the gateway) otherwise. */
	client?: Libp2p;
}): Promise<ShardGateway> {
	const node = client ?? (await createClientNode());
	const options = () => ({ signal: AbortSignal.timeout(SHARD_TRANSFER_TIMEOUT_MS) });
	const proxyOptions = () => ({ signal: AbortSignal.timeout(PROXY_CALL_TIMEOUT_MS) });
	return {
		store(target, { root, data }) {
			const ticket = signer.signTicket({ root, size: shardBodyLength(data), node: target.peerId });
			return firstThatWorks(target, (address) =>
				putShard(node, address, { ticket, data }, options()),
			);
		},
		fetch(target, root) {
			return firstThatWorks(target, (address) => getShard(node, address, root, options()));
		},
		release(target, root) {
			const order = signer.signDelete({ root, node: target.peerId });
			return firstThatWorks(target, (address) => deleteShard(node, address, order, options()));
		},
		storeKFrag(target, { shareId, policy, sealedKFrag }) {
			const ticket = signer.signKFragTicket({
				shareId,
				policyHash: sharePolicyHash(policy),
				node: target.peerId,
			});
			return firstThatWorks(target, (address) =>
				storeKFrag(node, address, { policy, sealedKFrag, ticket }, proxyOptions()),
			);
		},
		requestCFrag(target, signedRequest) {
			return firstThatWorks(target, (address) =>
				requestCFrag(node, address, signedRequest, proxyOptions()),
			);
		},
		revokeShare(target, signedRevocation) {
			return firstThatWorks(target, (address) =>
				revokeShare(node, address, signedRevocation, proxyOptions()),
			);
		},
		async stop() {
			if (!client) await node.stop();
		},
	};
}
