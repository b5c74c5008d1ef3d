// `npm start`: runs the whole system on this machine with embedded defaults, prints where it
// is, and shuts everything down cleanly on Ctrl-C. `npm run dev` runs Next's dev server instead.
import { parseEnv } from "../server/env";
import { startSystem } from "./system";

const dev = process.argv.includes("--dev");
const nodesFlag = process.argv.indexOf("--nodes");
if (process.argv.includes("--help")) {
	console.log(
		"Usage: npm start [-- --nodes N]   runs Coffre on http://localhost:$PORT with N local storage nodes (default 6)",
	);
	process.exit(0);
}

async function main(): Promise<void> {
	const env = parseEnv({
		...process.env,
		...(nodesFlag > 0 ? { COFFRE_LOCAL_NODES: process.argv[nodesFlag + 1] } : {}),
	});
	console.log("Starting Coffre…");
	const system = await startSystem(env, { dev });
	const database =
		system.database.kind === "embedded"
			? `embedded PostgreSQL (PGlite) in ${system.database.location}`
			: `PostgreSQL at ${system.database.location}`;
	console.log(
		[
			"",
			`  Coffre is running at ${system.url}`,
			`  Data:      ${system.dataDir}`,
			`  Database:  ${database}`,
			`  Storage:   ${system.storage.nodes.length} local storage node(s) in ${system.storage.location}`,
			"  Stop:      Ctrl-C",
			"",
		].join("\n"),
	);
	let stopping = false;
	const shutdown = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping Coffre…`);
		await system.stop();
		console.log("Stopped.");
		process.exit(0);
	};
	process.on("SIGINT", () => void shutdown("SIGINT"));
	process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
