// The web process's one shard gateway, created on first use with the coordinator's signing key
// from the data folder, and cached on globalThis so Next's module duplication never opens a
// second libp2p node.
import "server-only";
import { join } from "node:path";
import { createCoordinatorSigner } from "../coordinator/coordinator";
import { loadOrCreateCoordinatorKey } from "../coordinator/coordinator-key";
import { createShardGateway, type ShardGateway } from "./shard-gateway";

const cache = globalThis as unknown as { coffreShardGateway?: Promise<ShardGateway> };

export function getShardGateway(): Promise<ShardGateway> {
	cache.coffreShardGateway ??= createShardGateway({
		signer: createCoordinatorSigner(
			loadOrCreateCoordinatorKey(join(process.env.COFFRE_DATA_DIR ?? "./data", "coordinator")),
		),
	});
	return cache.coffreShardGateway;
}
