// `health.check` through createCaller on every database kind: reports the version and that the
// database is up, and reports it down (not a crash) when the database goes away.
import { describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { createCaller } from "../../server/root";
import { createContext } from "../../server/trpc";
import { DATABASE_KINDS, setupTestDatabase, startTestDatabase } from "../helpers/database";

describe.each(DATABASE_KINDS)("health on %s", (kind) => {
	const database = setupTestDatabase(kind);

	it("reports the version and a reachable database", async () => {
		const caller = createCaller(createContext({ db: database.current.db }));
		const health = await caller.health.check();
		expect(health).toMatchObject({
			status: "ok",
			version: packageJson.version,
			database: { status: "up" },
		});
		expect(health.database.latencyMs).toBeGreaterThanOrEqual(0);
	});

	it("rejects unexpected input with a coded error", async () => {
		const caller = createCaller(createContext({ db: database.current.db }));
		await expect(caller.health.check({ extra: 1 } as never)).rejects.toMatchObject({
			code: "BAD_REQUEST",
		});
	});
});

describe("health when the database is gone", () => {
	it("answers degraded instead of failing", async () => {
		const database = await startTestDatabase("pglite");
		await database.stop();
		const caller = createCaller(createContext({ db: database.db }));
		const health = await caller.health.check();
		expect(health).toMatchObject({
			status: "degraded",
			database: { status: "down", latencyMs: null },
		});
	});
});
