// Maps disk-store failures to protocol refusals, so handlers answer with a status instead of
// crashing; unknown errors stay unknown (INTERNAL) and are never echoed to the peer.
import {
	CapacityFullError,
	CorruptShardError,
	RootMismatchError,
	ShardNotFoundError,
} from "../store/errors";
import { Refusal } from "../wire/rpc";
import { Status } from "../wire/status";

/** Runs a store operation, turning its typed failures into Refusals. */
export async function withStoreRefusals<T>(operation: () => Promise<T>): Promise<T> {
	try {
		return await operation();
	} catch (err) {
		if (err instanceof CapacityFullError) throw new Refusal(Status.CAPACITY_FULL, err.message);
		if (err instanceof RootMismatchError) throw new Refusal(Status.ROOT_MISMATCH, err.message);
		if (err instanceof ShardNotFoundError) throw new Refusal(Status.NOT_FOUND, err.message);
		if (err instanceof CorruptShardError) throw new Refusal(Status.CORRUPT, err.message);
		throw err;
	}
}
