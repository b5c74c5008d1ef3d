// Applies prisma/migrations/*/migration.sql in order and records each in Prisma's own
// `_prisma_migrations` table, so `prisma migrate deploy` stays usable wherever Prisma's native
// schema engine can be had (it cannot be downloaded on every machine; DESIGN §6). Each
// migration runs in one transaction under an advisory lock: a crash leaves old or new, never half.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";

export const MIGRATIONS_DIR = resolve(import.meta.dirname, "../../prisma/migrations");

/** Prisma's own table definition (schema-engine, PostgreSQL flavour). */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Arbitrary constant: one migrator at a time per database. */
const ADVISORY_LOCK_KEY = 72_707_369;

export interface Migration {
	name: string;
	sql: string;
	checksum: string;
}

/** The migrations on disk, oldest first. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
	return readdirSync(dir, { withFileTypes: true })
		.filter((entry) => entry.isDirectory())
		.map((entry) => entry.name)
		.sort()
		.map((name) => {
			const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
			return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
		});
}

export class MigrationError extends Error {
	override name = "MigrationError";
}

/**
 * Brings the database at `url` up to date. Returns the names of the migrations it applied.
 * Refuses to continue when an applied migration was edited or a previous one failed half-way.
 */
export async function migrate(url: string, dir = MIGRATIONS_DIR): Promise<string[]> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
		await client.query(CREATE_MIGRATIONS_TABLE);
		const { rows } = await client.query<{
			migration_name: string;
			checksum: string;
			finished_at: Date | null;
			rolled_back_at: Date | null;
		}>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"');
		const applied = new Map(
			rows.filter((row) => row.rolled_back_at === null).map((row) => [row.migration_name, row]),
		);
		const done: string[] = [];
		for (const migration of readMigrations(dir)) {
			const row = applied.get(migration.name);
			if (row) {
				if (row.finished_at === null) {
					throw new MigrationError(
						`Migration ${migration.name} started but did not finish; repair the database before starting Coffre.`,
					);
				}
				if (row.checksum !== migration.checksum) {
					throw new MigrationError(
						`Migration ${migration.name} was changed after it was applied; add a new migration instead.`,
					);
				}
				continue;
			}
			await client.query("BEGIN");
			try {
				await client.query(migration.sql);
				await client.query(
					`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
					 VALUES ($1, $2, $3, now(), now(), 1)`,
					[randomUUID(), migration.checksum, migration.name],
				);
				await client.query("COMMIT");
			} catch (error) {
				await client.query("ROLLBACK");
				throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
			}
			done.push(migration.name);
		}
		return done;
	} finally {
		await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => {});
		await client.end();
	}
}
