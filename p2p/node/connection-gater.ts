// The storage node's connection gater: refuses peers on the operator's deny list and peers
// blocked for abuse (until their block ends), at every stage libp2p asks. Addresses are not
// filtered: volunteers and local networks run on private addresses.
import type { ConnectionGater, PeerId } from "@libp2p/interface";

/** Deny list plus temporary blocks. */
export class PeerBlocklist {
	private readonly until = new Map<string, number>();
	constructor(private readonly denied: ReadonlySet<string> = new Set()) {}

	/** Blocks `peer` for `ms`. */
	block(peer: string, ms: number): void {
		this.until.set(peer, Date.now() + ms);
	}

	isBlocked(peer: string): boolean {
		if (this.denied.has(peer)) return true;
		const until = this.until.get(peer);
		if (until === undefined) return false;
		if (until > Date.now()) return true;
		this.until.delete(peer);
		return false;
	}
}

/** A libp2p connection gater backed by `blocklist`. */
export function createConnectionGater(blocklist: PeerBlocklist): ConnectionGater {
	const deny = (peerId: PeerId) => blocklist.isBlocked(peerId.toString());
	return {
		denyDialMultiaddr: () => false,
		denyDialPeer: deny,
		denyInboundEncryptedConnection: deny,
		denyOutboundEncryptedConnection: deny,
		denyInboundUpgradedConnection: deny,
		denyOutboundUpgradedConnection: deny,
	};
}
