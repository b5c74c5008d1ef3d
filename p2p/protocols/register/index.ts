// /coffre/register/1.0.0: a storage node sends its signed record to the coordinator, which
// verifies it (signature by the sender's own peer key, freshness) and hands it to the directory.
import type { PeerId } from "@libp2p/interface";
import type { Multiaddr } from "@multiformats/multiaddr";
import { asMessage } from "../../wire/fields";
import { callProtocol, type Dialer } from "../../wire/rpc";
import type { SignedEnvelope } from "../../wire/signed";
import { MAX_FRAME_BYTES } from "../limits";
import { envelopeField } from "../shard/ticket";
import { REGISTER_MESSAGE_VERSION, REGISTER_PROTOCOL, REGISTER_TIMEOUT_MS } from "./constants";
import { type NodeRecord, verifyNodeRecord } from "./record";

export { REGISTER_PROTOCOL } from "./constants";
export { type NodeRecord, signNodeRecord, verifyNodeRecord } from "./record";

/** Sends a signed node record to the coordinator at `coordinator`. */
export async function registerNode(
	dialer: Dialer,
	coordinator: PeerId | Multiaddr,
	record: SignedEnvelope,
	options: { timeoutMs?: number } = {},
): Promise<void> {
	await callProtocol(
		dialer,
		coordinator,
		REGISTER_PROTOCOL,
		{ v: REGISTER_MESSAGE_VERSION, record },
		{
			timeoutMs: options.timeoutMs ?? REGISTER_TIMEOUT_MS,
			maxResponseBytes: MAX_FRAME_BYTES,
		},
	);
}

/** Coordinator side: validates one register request from `sender` and passes the record on. */
export async function handleRegisterRequest(
	message: unknown,
	sender: PeerId,
	onRecord: (record: NodeRecord) => void | Promise<void>,
): Promise<Record<string, unknown>> {
	const fields = asMessage(message, REGISTER_MESSAGE_VERSION);
	const record = verifyNodeRecord(envelopeField(fields, "record"), sender.toString());
	await onRecord(record);
	return {};
}
