// Storage tickets and delete orders (DESIGN §5 Admission): documents the coordinator signs with
// its Ed25519 key so that a node stores only shards the network placed on it, and deletes only
// on the coordinator's word. A ticket binds shard root, size, expiry, lease and the node's peer
// id. Verification never accepts an expired, misaddressed or unsigned document.

import {
	asMessage,
	bytesField,
	type Fields,
	intField,
	mapField,
	stringField,
} from "../../wire/fields";
import { Refusal } from "../../wire/rpc";
import { openEnvelope, type SignedEnvelope, signEnvelope } from "../../wire/signed";
import { Status } from "../../wire/status";
import { CLOCK_SKEW_MS, MAX_SHARD_BYTES } from "../limits";
import {
	DELETE_ORDER_DOMAIN,
	MAX_PEER_ID_CHARS,
	MAX_SIGNED_BODY_BYTES,
	ROOT_BYTES,
	STORAGE_TICKET_DOMAIN,
} from "./constants";

/** Permission for one node to store one shard. Times are Unix ms. */
export interface StorageTicket {
	root: Uint8Array;
	size: number;
	/** The ticket is refused after this time. */
	expiresAt: number;
	/** The node keeps the shard until this time unless a later ticket renews it. */
	leaseUntil: number;
	/** Peer id (string) of the node the ticket is for. */
	node: string;
}

/** Order to one node to delete one shard. */
export interface DeleteOrder {
	root: Uint8Array;
	node: string;
	expiresAt: number;
}

/** Signs a storage ticket with the coordinator's 32-byte Ed25519 secret key. */
export function signStorageTicket(
	ticket: StorageTicket,
	coordinatorSecretKey: Uint8Array,
): SignedEnvelope {
	return signEnvelope(STORAGE_TICKET_DOMAIN, { v: 1, ...ticket }, coordinatorSecretKey);
}

/** Signs a delete order with the coordinator's 32-byte Ed25519 secret key. */
export function signDeleteOrder(
	order: DeleteOrder,
	coordinatorSecretKey: Uint8Array,
): SignedEnvelope {
	return signEnvelope(DELETE_ORDER_DOMAIN, { v: 1, ...order }, coordinatorSecretKey);
}

/** Reads a signed envelope field of a request. */
export function envelopeField(fields: Fields, key: string): SignedEnvelope {
	const map = mapField(fields, key);
	return {
		body: bytesField(map, "body", 1, MAX_SIGNED_BODY_BYTES),
		sig: bytesField(map, "sig", 64, 64),
	};
}

/** The body of a coordinator-signed document of `domain`; a bad signature is a BAD_SIGNATURE refusal. */
export function openSigned(
	domain: string,
	envelope: SignedEnvelope,
	coordinatorPublicKey: Uint8Array,
): Fields {
	const value = openEnvelope(domain, envelope, coordinatorPublicKey);
	if (value === null)
		throw new Refusal(Status.BAD_SIGNATURE, "not signed by the trusted coordinator key");
	return asMessage(value, 1);
}

/** Refuses a document addressed to another node (TICKET_MISMATCH) or expired (EXPIRED). */
export function checkAddressedAndFresh(
	doc: { node: string; expiresAt: number },
	nodePeerId: string,
	now: number,
) {
	if (doc.node !== nodePeerId) throw new Refusal(Status.TICKET_MISMATCH, "issued for another node");
	if (doc.expiresAt + CLOCK_SKEW_MS < now) throw new Refusal(Status.EXPIRED, "expired");
}

/** The ticket when it is signed by `coordinatorPublicKey`, for `nodePeerId`, and unexpired. */
export function verifyStorageTicket(
	envelope: SignedEnvelope,
	coordinatorPublicKey: Uint8Array,
	nodePeerId: string,
	now = Date.now(),
): StorageTicket {
	const fields = openSigned(STORAGE_TICKET_DOMAIN, envelope, coordinatorPublicKey);
	const ticket: StorageTicket = {
		root: bytesField(fields, "root", ROOT_BYTES, ROOT_BYTES),
		size: intField(fields, "size", MAX_SHARD_BYTES),
		expiresAt: intField(fields, "expiresAt"),
		leaseUntil: intField(fields, "leaseUntil"),
		node: stringField(fields, "node", MAX_PEER_ID_CHARS),
	};
	checkAddressedAndFresh(ticket, nodePeerId, now);
	return ticket;
}

/** The order when it is signed by `coordinatorPublicKey`, for `nodePeerId`, and unexpired. */
export function verifyDeleteOrder(
	envelope: SignedEnvelope,
	coordinatorPublicKey: Uint8Array,
	nodePeerId: string,
	now = Date.now(),
): DeleteOrder {
	const fields = openSigned(DELETE_ORDER_DOMAIN, envelope, coordinatorPublicKey);
	const order: DeleteOrder = {
		root: bytesField(fields, "root", ROOT_BYTES, ROOT_BYTES),
		node: stringField(fields, "node", MAX_PEER_ID_CHARS),
		expiresAt: intField(fields, "expiresAt"),
	};
	checkAddressedAndFresh(order, nodePeerId, now);
	return order;
}
