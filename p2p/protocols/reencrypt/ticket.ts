// Kfrag tickets (DESIGN §5 Admission, §7): the coordinator's Ed25519-signed permission for ONE
// node to keep ONE share's kfrag, binding the share id, the SHA-256 of the signed policy bytes
// and an expiry — so nobody can fill volunteers' disks with kfrags. Verification never accepts
// an unsigned, misaddressed or expired ticket.
import { bytesField, intField, stringField } from "../../wire/fields";
import { type SignedEnvelope, signEnvelope } from "../../wire/signed";
import { MAX_PEER_ID_CHARS } from "../shard/constants";
import { checkAddressedAndFresh, openSigned } from "../shard/ticket";
import { KFRAG_TICKET_DOMAIN } from "./constants";

/** Permission for `node` to store the kfrag of share `shareId` under the policy hashing to `policyHash`. */
export interface KFragTicket {
	shareId: Uint8Array;
	/** SHA-256 of the signed share policy bytes (crypto/sharing `sharePolicyHash`). */
	policyHash: Uint8Array;
	/** Peer id (string) of the node. */
	node: string;
	/** The ticket is refused after this time (ms). */
	expiresAt: number;
}

/** Signs a kfrag ticket with the coordinator's 32-byte Ed25519 secret key. */
export function signKFragTicket(
	ticket: KFragTicket,
	coordinatorSecretKey: Uint8Array,
): SignedEnvelope {
	return signEnvelope(KFRAG_TICKET_DOMAIN, { v: 1, ...ticket }, coordinatorSecretKey);
}

/** The ticket when it is signed by `coordinatorPublicKey`, for `nodePeerId`, and unexpired at `now`. */
export function verifyKFragTicket(
	envelope: SignedEnvelope,
	coordinatorPublicKey: Uint8Array,
	nodePeerId: string,
	now: number,
): KFragTicket {
	const fields = openSigned(KFRAG_TICKET_DOMAIN, envelope, coordinatorPublicKey);
	const ticket: KFragTicket = {
		shareId: bytesField(fields, "shareId", 16, 16),
		policyHash: bytesField(fields, "policyHash", 32, 32),
		node: stringField(fields, "node", MAX_PEER_ID_CHARS),
		expiresAt: intField(fields, "expiresAt"),
	};
	checkAddressedAndFresh(ticket, nodePeerId, now);
	return ticket;
}
