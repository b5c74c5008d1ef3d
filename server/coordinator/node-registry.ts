// The coordinator's node directory in the database (DESIGN §5): every verified registration is
// recorded, with the network a node lives in, so placement can keep a chunk's shards on
// distinct nodes and distinct networks.
import type { Database } from "../db";

/** What a verified registration carries (p2p/protocols/register NodeRecord). */
export interface RegisteredNode {
	peerId: string;
	addresses: string[];
	capacityBytes: number;
	encryptionPublicKey: Uint8Array;
}

/**
 * The network of a multiaddr: its IPv4 /24 or IPv6 /48. Shards of one chunk go to distinct
 * networks where the network allows, so one operator's machines cannot hold too many.
 */
export function networkPrefix(address: string | undefined, peerId: string): string {
	const ip4 = address?.match(/^\/ip4\/(\d+)\.(\d+)\.(\d+)\.\d+(?:\/|$)/);
	if (ip4) return `${ip4[1]}.${ip4[2]}.${ip4[3]}.0/24`;
	const ip6 = address?.match(/^\/ip6\/([0-9a-f:]+)(?:\/|$)/i);
	if (ip6?.[1]) {
		const groups = ip6[1].split(":").filter(Boolean).slice(0, 3);
		return `${groups.join(":")}::/48`;
	}
	return `unknown:${peerId}`;
}

/** Records (or refreshes) a node after its signed registration was verified. */
export async function recordNodeRegistration(
	db: Database,
	node: RegisteredNode,
	now = new Date(),
): Promise<void> {
	const data = {
		addresses: node.addresses.slice(0, 16),
		capacityBytes: BigInt(Math.max(0, Math.floor(node.capacityBytes))),
		encryptionPublicKey: new Uint8Array(node.encryptionPublicKey),
		networkPrefix: networkPrefix(node.addresses[0], node.peerId),
		lastSeenAt: now,
	};
	await db.storageNode.upsert({
		where: { peerId: node.peerId },
		create: { peerId: node.peerId, ...data, registeredAt: now },
		update: data,
	});
}
