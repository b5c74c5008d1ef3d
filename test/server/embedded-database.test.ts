// The embedded database serves many connections at once on its one PGlite session: concurrent
// parameterised queries of several connections never bind each other's statements, another
// connection never runs inside a transaction it did not open, and a connection that goes away
// mid-transaction is rolled back without stopping the others.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedDatabase, startEmbeddedDatabase } from "../../server/database/embedded";

let database: EmbeddedDatabase;
const clients: pg.Client[] = [];

async function connect(): Promise<pg.Client> {
	const client = new pg.Client({ connectionString: database.url });
	await client.connect();
	clients.push(client);
	return client;
}

beforeAll(async () => {
	database = await startEmbeddedDatabase({});
});

afterAll(async () => {
	await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
	await database.stop();
});

describe("embedded database", () => {
	it("keeps the parameterised queries of concurrent connections apart", async () => {
		const [large, small] = await Promise.all([connect(), connect()]);
		// A large parameter arrives in many TCP reads: the small query's whole batch (its own
		// unnamed statement, two parameters) lands while the large one's Bind is still arriving.
		const text = "x".repeat(2 ** 20);
		const largeQueries = (async () => {
			for (let round = 0; round < 8; round++) {
				const { rows } = await large.query<{ n: number }>("SELECT length($1::text) AS n", [text]);
				expect(rows[0]?.n).toBe(text.length);
			}
		})();
		const smallQueries = (async () => {
			for (let round = 0; round < 400; round++) {
				const { rows } = await small.query<{ total: number }>("SELECT $1::int + $2::int AS total", [
					round,
					1,
				]);
				expect(rows[0]?.total).toBe(round + 1);
			}
		})();
		await Promise.all([largeQueries, smallQueries]);
	});

	it("runs no other connection's query inside a transaction, and rolls back one left open", async () => {
		const [owner, other] = await Promise.all([connect(), connect()]);
		await owner.query("CREATE TABLE held (id int)");
		await owner.query("BEGIN");
		await owner.query("INSERT INTO held VALUES ($1)", [1]);
		// Asked while the transaction is open, answered only after it ends: it sees the commit.
		const counted = other.query<{ n: number }>(
			"SELECT count(*)::int AS n FROM held WHERE id > $1",
			[0],
		);
		await owner.query("INSERT INTO held VALUES ($1)", [2]);
		await owner.query("COMMIT");
		expect((await counted).rows[0]?.n).toBe(2);

		// A connection lost in the middle of its transaction: rolled back, the others go on.
		const leaving = await connect();
		leaving.on("error", () => undefined); // its connection is cut below, on purpose
		await leaving.query("BEGIN");
		await leaving.query("INSERT INTO held VALUES ($1)", [3]);
		const after = other.query<{ n: number }>(
			"SELECT count(*)::int AS n FROM held WHERE id > $1",
			[0],
		);
		(
			leaving as unknown as { connection: { stream: { destroy(): void } } }
		).connection.stream.destroy();
		expect((await after).rows[0]?.n).toBe(2);
		const { rows } = await other.query<{ n: number }>("SELECT count(*)::int AS n FROM held");
		expect(rows[0]?.n).toBe(2);
	});
});
