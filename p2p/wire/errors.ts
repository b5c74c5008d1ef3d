// Errors of the request/response layer shared by Coffre's protocols. Messages name the status
// and what to do; they never contain stored or secret bytes.
import { statusName } from "./status";

/** The remote node answered with a refusal status. `status` is the code, `reason` its text. */
export class RemoteRefusedError extends Error {
	override name = "RemoteRefusedError";
	constructor(
		readonly status: number,
		readonly reason: string,
	) {
		super(`remote refused: ${statusName(status)}${reason ? ` (${reason})` : ""}`);
	}
	/** The status as its name, e.g. "CAPACITY_FULL". */
	get statusName(): string {
		return statusName(this.status);
	}
}

/** The remote node's answer was not a valid message (framing, CBOR or fields). */
export class BadResponseError extends Error {
	override name = "BadResponseError";
}

/** The remote node closed the stream without answering. */
export class NoResponseError extends Error {
	override name = "NoResponseError";
}
