// Public surface of the storage node: create and run nodes, protocol-calling client nodes,
// and node folders (identity and capacity).
export { createClientNode } from "./client-node";
export {
	identitySeed,
	initNodeFolder,
	loadNodeFolder,
	NodeFolderError,
	type NodeIdentity,
} from "./node-keys";
export {
	ABUSE_BLOCK_MS,
	ABUSE_STRIKES,
	COFFRE_KAD_PROTOCOL,
	createStorageNode,
	StorageNode,
	type StorageNodeConfig,
	type StorageNodeStatus,
} from "./storage-node";
