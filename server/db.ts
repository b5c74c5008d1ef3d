// The one Prisma client of a server process, talking to PostgreSQL (or the embedded PGlite
// server `npm start` runs) through @prisma/adapter-pg. Cached on globalThis so hot reload and
// Next's module duplication never open a second pool.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export type Database = PrismaClient;
/** The database, or an open transaction on it (what `$transaction` hands its callback). */
export type DatabaseClient = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/** Creates a Prisma client for `url`; callers own it and must `$disconnect()` it. */
export function createDatabase(url: string, { poolMax = 10 }: { poolMax?: number } = {}): Database {
	const adapter = new PrismaPg({ connectionString: url, max: poolMax });
	return new PrismaClient({ adapter });
}

const cache = globalThis as unknown as { coffreDatabase?: Database };

/** The process-wide client, configured from DATABASE_URL. */
export function getDatabase(): Database {
	if (!cache.coffreDatabase) {
		const url = process.env.DATABASE_URL;
		if (!url) {
			throw new Error(
				"DATABASE_URL is not set. Start Coffre with `npm start` (it runs the embedded database), or point DATABASE_URL at a PostgreSQL server.",
			);
		}
		cache.coffreDatabase = createDatabase(url, {
			poolMax: Number(process.env.DATABASE_POOL_MAX ?? 10),
		});
	}
	return cache.coffreDatabase;
}
