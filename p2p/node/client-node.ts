// A libp2p node that only calls Coffre protocols (coordinator, gateways, tests, benches): the
// same transports, encryption and muxer as storage nodes, no DHT server, no stored shards.
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { identify } from "@libp2p/identify";
import type { PrivateKey } from "@libp2p/interface";
import { tcp } from "@libp2p/tcp";
import { webSockets } from "@libp2p/websockets";
import { createLibp2p, type Libp2p } from "libp2p";
import { createConnectionGater, PeerBlocklist } from "./connection-gater";

/**
 * Creates and starts a protocol-calling libp2p node.
 * @example const client = await createClientNode(); await putShard(client, peerAddr, { ticket, data })
 */
export async function createClientNode(
	options: { privateKey?: PrivateKey; listen?: string[] } = {},
): Promise<Libp2p> {
	return createLibp2p({
		...(options.privateKey ? { privateKey: options.privateKey } : {}),
		addresses: { listen: options.listen ?? [] },
		transports: [tcp(), webSockets()],
		connectionEncrypters: [noise()],
		streamMuxers: [yamux()],
		connectionGater: createConnectionGater(new PeerBlocklist()),
		// Coordinators and gateways receive many nodes at once, often from one host in tests.
		connectionManager: { inboundConnectionThreshold: 1_000, maxIncomingPendingConnections: 64 },
		services: { identify: identify() },
	});
}
