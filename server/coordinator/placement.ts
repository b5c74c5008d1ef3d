// Chooses where the n shards of a chunk go (DESIGN §5): n distinct storage nodes, spread over
// as many networks as possible (round-robin over /24s), active nodes before ones still being
// vetted, random among equals so load spreads.
import type { Database } from "../db";
import { AppError } from "../errors";

export interface PlacementTarget {
	peerId: string;
	addresses: string[];
}

function shuffle<T>(items: T[]): T[] {
	const copy = [...items];
	for (let i = copy.length - 1; i > 0; i--) {
		const j = (crypto.getRandomValues(new Uint32Array(1))[0] as number) % (i + 1);
		[copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
	}
	return copy;
}

/** Picks `count` distinct nodes, never one of `exclude` (e.g. nodes that failed). */
export async function chooseNodes(
	db: Database,
	{ count, exclude = [] }: { count: number; exclude?: string[] },
): Promise<PlacementTarget[]> {
	const nodes = await db.storageNode.findMany({
		where: { status: { in: ["active", "vetting"] }, peerId: { notIn: exclude } },
		select: { peerId: true, addresses: true, networkPrefix: true, status: true },
	});
	if (nodes.length < count) {
		throw new AppError(
			"UNAVAILABLE",
			`Not enough storage nodes are online to store your file safely (${nodes.length} of the ${count} needed). Please try again later.`,
		);
	}
	const byNetwork = new Map<string, typeof nodes>();
	for (const node of shuffle(nodes).sort((a, b) =>
		a.status === b.status ? 0 : a.status === "active" ? -1 : 1,
	)) {
		byNetwork.set(node.networkPrefix, [...(byNetwork.get(node.networkPrefix) ?? []), node]);
	}
	const queues = shuffle([...byNetwork.values()]);
	const chosen: PlacementTarget[] = [];
	while (chosen.length < count) {
		for (const queue of queues) {
			const next = queue.shift();
			if (next && chosen.length < count)
				chosen.push({ peerId: next.peerId, addresses: next.addresses });
		}
	}
	return chosen;
}
