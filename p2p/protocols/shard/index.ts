// Public surface of /coffre/shard/1.0.0: the caller functions, tickets and delete orders, the
// node-side handler, and the protocol's names and errors.
export { type CallOptions, deleteShard, getShard, hasShard, putShard, renewShard } from "./client";
export { DELETE_ORDER_DOMAIN, SHARD_PROTOCOL, STORAGE_TICKET_DOMAIN } from "./constants";
export { ShardIntegrityError } from "./errors";
export { handleShardRequest } from "./handler";
export {
	type DeleteOrder,
	type StorageTicket,
	signDeleteOrder,
	signStorageTicket,
	verifyDeleteOrder,
	verifyStorageTicket,
} from "./ticket";
