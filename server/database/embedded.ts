// The embedded PostgreSQL (PGlite) that `npm start` and the tests use when no DATABASE_URL is
// given. PGlite runs in this process and is exposed on 127.0.0.1 through
// @electric-sql/pglite-socket, so the rest of Coffre talks to it exactly as to a PostgreSQL
// server (one code path: `pg` + @prisma/adapter-pg). Chosen over an in-process Prisma adapter
// for that reason: migrations, the app and `psql` all reach it by URL. Messages of its many
// connections run on the one PGlite session in the order ./protocol-queue.ts keeps.
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";
import { ProtocolQueue } from "./protocol-queue";

export interface EmbeddedDatabase {
	/** postgresql:// URL of the socket server, with sslmode=disable. */
	url: string;
	stop(): Promise<void>;
}

/** Connections served at once (the web app's pool, the coordinator, migrations, psql). */
const MAX_CONNECTIONS = 32;

type HandlerQueue = ConstructorParameters<typeof PGLiteSocketHandler>[0]["queryQueue"];

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
	// The library's own server schedules messages with a queue that lets connections interleave
	// mid-batch (see ./protocol-queue); its connection handler is used with ours instead.
	const queue = new ProtocolQueue(db) as unknown as HandlerQueue;
	const handlers = new Set<PGLiteSocketHandler>();
	const server: Server = createServer((socket) => {
		const handler = new PGLiteSocketHandler({ queryQueue: queue, closeOnDetach: true });
		handlers.add(handler);
		const forget = () => handlers.delete(handler);
		handler.addEventListener("close", forget);
		handler.addEventListener("error", forget);
		handler.attach(socket).catch(() => {
			forget();
			socket.destroy();
		});
	});
	server.maxConnections = MAX_CONNECTIONS;
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(port, "127.0.0.1", () => resolve());
	});
	const boundPort = (server.address() as { port: number }).port;
	return {
		url: `postgresql://postgres@127.0.0.1:${boundPort}/postgres?sslmode=disable`,
		async stop() {
			await Promise.all([...handlers].map((handler) => handler.detach(true)));
			handlers.clear();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await db.close();
		},
	};
}
