// Client-side failures of the shard protocol. Refusals by the remote are RemoteRefusedError
// (wire/errors); these are what the client itself detects.

/** The bytes a node returned do not hash to the shard root asked for: the node lied or rotted. */
export class ShardIntegrityError extends Error {
	override name = "ShardIntegrityError";
}
