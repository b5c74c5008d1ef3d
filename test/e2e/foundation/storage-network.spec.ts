// The system the browser tests run against is the one `npm start` runs: it includes the local
// storage network, every node registered with the coordinator.
import pg from "pg";
import { describe, expect, inject, it } from "vitest";

describe("local storage network", () => {
	it("runs six storage nodes, all registered with the coordinator", () => {
		const nodes = inject("storageNodes");
		expect(nodes).toHaveLength(6);
		expect(new Set(nodes.map((node) => node.peerId)).size).toBe(6);
		expect(nodes.every((node) => node.registered)).toBe(true);
	});

	it("records every registered node in the database for placement", async () => {
		const db = new pg.Client({ connectionString: inject("databaseUrl") });
		await db.connect();
		const { rows } = await db.query<{ peer_id: string; network_prefix: string }>(
			"SELECT peer_id, network_prefix FROM storage_nodes",
		);
		await db.end();
		expect(rows.map((row) => row.peer_id).sort()).toEqual(
			inject("storageNodes")
				.map((node) => node.peerId)
				.sort(),
		);
		expect(new Set(rows.map((row) => row.network_prefix))).toEqual(new Set(["127.0.0.0/24"]));
	});
});
