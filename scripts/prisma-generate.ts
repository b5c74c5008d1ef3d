// `prisma generate` without Prisma's native schema engine, which some machines cannot download
// (DESIGN §6). Generation never runs the engine; pointing PRISMA_SCHEMA_ENGINE_BINARY at a stub
// that refuses to run keeps the CLI from fetching one.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const stub = resolve(import.meta.dirname, "no-schema-engine.sh");
const result = spawnSync("prisma", ["generate"], {
	stdio: "inherit",
	env: {
		...process.env,
		PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? stub,
	},
});
process.exit(result.status ?? 1);
