// Real databases for server tests: always an embedded PGlite (in memory), and the PostgreSQL
// server at TEST_DATABASE_URL when it is set (a fresh database per test file, dropped after).
// Both are migrated with the same migrator `npm start` uses.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { startEmbeddedDatabase } from "../../server/database/embedded";
import { migrate } from "../../server/database/migrate";
import { createDatabase, type Database } from "../../server/db";

export interface TestDatabase {
	kind: "pglite" | "postgres";
	url: string;
	db: Database;
	stop(): Promise<void>;
}

export const POSTGRES_URL = process.env.TEST_DATABASE_URL;

/** The kinds of database this run tests against. */
export const DATABASE_KINDS: TestDatabase["kind"][] = POSTGRES_URL
	? ["pglite", "postgres"]
	: ["pglite"];

async function startPostgres(): Promise<TestDatabase> {
	if (!POSTGRES_URL) throw new Error("TEST_DATABASE_URL is not set");
	const name = `coffre_test_${randomBytes(6).toString("hex")}`;
	const admin = new pg.Client({ connectionString: POSTGRES_URL });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(POSTGRES_URL);
	url.pathname = `/${name}`;
	await migrate(url.href);
	const db = createDatabase(url.href, { poolMax: 4 });
	return {
		kind: "postgres",
		url: url.href,
		db,
		async stop() {
			await db.$disconnect();
			const cleanup = new pg.Client({ connectionString: POSTGRES_URL });
			await cleanup.connect();
			await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await cleanup.end();
			recordPostgresSuiteRan();
		},
	};
}

async function startPglite(): Promise<TestDatabase> {
	const embedded = await startEmbeddedDatabase({});
	await migrate(embedded.url);
	const db = createDatabase(embedded.url, { poolMax: 2 });
	return {
		kind: "pglite",
		url: embedded.url,
		db,
		async stop() {
			await db.$disconnect();
			await embedded.stop();
		},
	};
}

/** Starts a migrated database of `kind`. */
export function startTestDatabase(kind: TestDatabase["kind"]): Promise<TestDatabase> {
	return kind === "postgres" ? startPostgres() : startPglite();
}

/**
 * Registers beforeAll/afterAll hooks that give the suite a migrated database of `kind`;
 * read `.current` inside tests.
 */
export function setupTestDatabase(kind: TestDatabase["kind"]): { current: TestDatabase } {
	const holder = {} as { current: TestDatabase };
	beforeAll(async () => {
		holder.current = await startTestDatabase(kind);
	});
	afterAll(async () => {
		await holder.current?.stop();
	});
	return holder;
}

/**
 * `.ci/run` must fail when the PostgreSQL suite did not run: every Postgres-backed suite leaves
 * a marker that .ci/run checks after `npm test`.
 */
function recordPostgresSuiteRan(): void {
	const dir = resolve(import.meta.dirname, "../.results");
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		join(dir, `postgres-${process.pid}-${Date.now()}.json`),
		JSON.stringify({ at: new Date() }),
	);
}
