// Browser tests run against the real system, started once per run exactly as `npm start` starts
// it (production build, embedded database in a temporary folder, local storage network).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort } from "../../scripts/free-port";
import { startSystem } from "../../scripts/system";
import { parseEnv } from "../../server/env";

declare module "vitest" {
	export interface ProvidedContext {
		baseUrl: string;
		dataDir: string;
		databaseUrl: string;
		storageNodes: { peerId: string; registered: boolean }[];
		/** TEST-ONLY clock file of the web app and the storage nodes (test/helpers/test-clock). */
		clockFile: string;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const dataDir = mkdtempSync(join(tmpdir(), "coffre-e2e-"));
	const port = await freePort();
	const clockFile = join(dataDir, "test-clock-offset");
	const system = await startSystem(
		parseEnv({
			PORT: String(port),
			COFFRE_DATA_DIR: dataDir,
			COFFRE_TEST_CLOCK_FILE: clockFile,
			// Every test person signs up from 127.0.0.1: room for the whole suite and more.
			COFFRE_SIGN_IN_LIMIT: "200",
		}),
		{ quiet: true },
	);
	project.provide("baseUrl", system.url);
	project.provide("dataDir", dataDir);
	project.provide("databaseUrl", system.database.url);
	project.provide("clockFile", clockFile);
	project.provide(
		"storageNodes",
		system.storage.nodes.map(({ peerId }) => ({
			peerId,
			registered: system.storage.coordinator.directory.has(peerId),
		})),
	);
	return async () => {
		await system.stop();
		if (process.env.COFFRE_KEEP_E2E_DATA) console.log(`e2e data kept in ${dataDir}`);
		else rmSync(dataDir, { recursive: true, force: true });
	};
}
