// Signed node records (DESIGN §5 Admission): a node tells the coordinator its peer id,
// addresses, capacity and secp256k1 encryption public key (for Umbral re-encryption later),
// signed with the Ed25519 key its peer id is made of, so nobody can register for another node.
import { peerIdFromString } from "@libp2p/peer-id";
import { arrayField, asMessage, bytesField, intField, stringField } from "../../wire/fields";
import { Refusal } from "../../wire/rpc";
import { openEnvelope, type SignedEnvelope, signEnvelope } from "../../wire/signed";
import { Status } from "../../wire/status";
import { CLOCK_SKEW_MS } from "../limits";
import { MAX_PEER_ID_CHARS } from "../shard/constants";
import {
	ENCRYPTION_KEY_BYTES,
	MAX_ADDRESS_CHARS,
	MAX_RECORD_ADDRESSES,
	NODE_RECORD_DOMAIN,
} from "./constants";

/** What a storage node tells the coordinator about itself. */
export interface NodeRecord {
	peerId: string;
	addresses: string[];
	capacityBytes: number;
	/** Compressed secp256k1 public key (33 bytes). */
	encryptionPublicKey: Uint8Array;
	/** Unix ms when the record was signed. */
	issuedAt: number;
}

/** Signs a node record with the node's 32-byte Ed25519 identity secret (its peer id key). */
export function signNodeRecord(record: NodeRecord, identitySecretKey: Uint8Array): SignedEnvelope {
	return signEnvelope(NODE_RECORD_DOMAIN, { v: 1, ...record }, identitySecretKey);
}

function ed25519KeyOf(peerId: string): Uint8Array {
	try {
		const id = peerIdFromString(peerId);
		if (id.type !== "Ed25519") throw new Error("not Ed25519");
		return id.publicKey.raw;
	} catch {
		throw new Refusal(Status.BAD_REQUEST, "peerId must be an Ed25519 peer id");
	}
}

/**
 * The record when it is signed by the key of the peer id it names, that peer id is the one
 * that sent it (`senderPeerId`), and it is fresh.
 */
export function verifyNodeRecord(
	envelope: SignedEnvelope,
	senderPeerId: string,
	now = Date.now(),
): NodeRecord {
	const opened = openEnvelope(NODE_RECORD_DOMAIN, envelope, ed25519KeyOf(senderPeerId));
	if (opened === null)
		throw new Refusal(Status.BAD_SIGNATURE, "record is not signed by the sending peer");
	const fields = asMessage(opened, 1);
	const addresses = arrayField(fields, "addresses", MAX_RECORD_ADDRESSES);
	if (
		!addresses.every((a) => typeof a === "string" && a.length > 0 && a.length <= MAX_ADDRESS_CHARS)
	) {
		throw new Refusal(
			Status.BAD_REQUEST,
			`addresses must be text of at most ${MAX_ADDRESS_CHARS} characters`,
		);
	}
	const record: NodeRecord = {
		peerId: stringField(fields, "peerId", MAX_PEER_ID_CHARS),
		addresses: addresses as string[],
		capacityBytes: intField(fields, "capacityBytes"),
		encryptionPublicKey: bytesField(
			fields,
			"encryptionPublicKey",
			ENCRYPTION_KEY_BYTES,
			ENCRYPTION_KEY_BYTES,
		),
		issuedAt: intField(fields, "issuedAt"),
	};
	if (record.peerId !== senderPeerId)
		throw new Refusal(Status.TICKET_MISMATCH, "record names another peer");
	if (Math.abs(record.issuedAt - now) > CLOCK_SKEW_MS)
		throw new Refusal(Status.EXPIRED, "record is not fresh");
	return record;
}
