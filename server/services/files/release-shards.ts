// Asks storage nodes to delete shards nobody needs any more (a file deleted for good, an upload
// given up). Best effort by design: a node that is down drops them when their lease expires.
import type { Context } from "../../trpc";

/** A stored shard as the release needs it: its root and the node that holds it. */
export interface StoredShard {
	root: Uint8Array;
	node: { peerId: string; addresses: string[] };
}

/** The placement columns `releaseShards` needs, for Prisma `select`. */
export const STORED_SHARD_FIELDS = {
	root: true,
	node: { select: { peerId: true, addresses: true } },
} as const;

export async function releaseShards(ctx: Context, shards: StoredShard[]): Promise<void> {
	if (shards.length === 0 || !ctx.shardGateway) return;
	const gateway = await ctx.shardGateway();
	await Promise.allSettled(
		shards.map((shard) => gateway.release(shard.node, new Uint8Array(shard.root))),
	);
}
