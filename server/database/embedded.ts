// The embedded PostgreSQL (PGlite) that `npm start` and the tests use when no DATABASE_URL is
// given. PGlite runs in this process and is exposed on 127.0.0.1 through
// @electric-sql/pglite-socket, so the rest of Coffre talks to it exactly as to a PostgreSQL
// server (one code path: `pg` + @prisma/adapter-pg). Chosen over an in-process Prisma adapter
// for that reason: migrations, the app and `psql` all reach it by URL.
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedDatabase {
	/** postgresql:// URL of the socket server, with sslmode=disable. */
	url: string;
	stop(): Promise<void>;
}

/**
 * Opens (or creates) the PGlite database in `dataDir` — in memory when `dataDir` is
 * undefined — and serves it on 127.0.0.1 at `port` (0: any free port).
 */
export async function startEmbeddedDatabase({
	dataDir,
	port = 0,
}: {
	dataDir?: string;
	port?: number;
}): Promise<EmbeddedDatabase> {
	if (dataDir) mkdirSync(dataDir, { recursive: true });
	const db = await PGlite.create(dataDir ? { dataDir } : {});
	// The server queues queries per connection and keeps an open transaction's queries together,
	// so several pooled connections are safe.
	const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 32 });
	await server.start();
	const address = server.getServerConn();
	const boundPort = Number(address.split(":").pop());
	return {
		url: `postgresql://postgres@127.0.0.1:${boundPort}/postgres?sslmode=disable`,
		async stop() {
			await server.stop();
			await db.close();
		},
	};
}
