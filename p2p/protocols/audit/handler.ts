// Node side of /coffre/audit/1.0.0: for a shard root, a block index and a nonce, answer the
// 16 KiB block, its Merkle inclusion path and the nonce. Reads go through the verifying store,
// so a node that lost or rotted a shard answers NOT_FOUND or CORRUPT, never a made-up proof.
import { blockCount, shardBlockProof } from "../../../crypto/merkle";
import { asMessage, bytesField, intField } from "../../wire/fields";
import { nativeMerkleHasher } from "../../wire/native-merkle";
import { Refusal } from "../../wire/rpc";
import { Status } from "../../wire/status";
import { corrupted, type NodeContext, stallIfFaulty } from "../context";
import { ROOT_BYTES } from "../shard/constants";
import { withStoreRefusals } from "../store-errors";
import { AUDIT_MESSAGE_VERSION, AUDIT_NONCE_BYTES } from "./constants";

/** Answers one decoded audit challenge. */
export async function handleAuditRequest(
	context: NodeContext,
	message: unknown,
): Promise<Record<string, unknown>> {
	const fields = asMessage(message, AUDIT_MESSAGE_VERSION);
	const root = bytesField(fields, "root", ROOT_BYTES, ROOT_BYTES);
	const index = intField(fields, "index", 2 ** 31);
	const nonce = bytesField(fields, "nonce", AUDIT_NONCE_BYTES, AUDIT_NONCE_BYTES);
	await stallIfFaulty(context);
	const data = await withStoreRefusals(() => context.store.get(root));
	if (index >= blockCount(data.length)) {
		throw new Refusal(Status.OUT_OF_RANGE, `block ${index} is outside the shard`);
	}
	const { block, proof } = shardBlockProof(data, index, nativeMerkleHasher);
	return { nonce, index, block: context.faults.wrongAudits ? corrupted(block) : block, proof };
}
