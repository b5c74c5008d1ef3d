// Starts the whole Coffre system on one machine: the database (embedded PGlite unless
// DATABASE_URL is set), its migrations, the coordinator and a local network of storage nodes
// (child processes), and the web app and API (Next.js). `npm start` and the browser tests both use it, so what tests run is
// what people run.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { startLocalNetwork } from "../p2p/local-network";
import { serverClock } from "../server/clock";
import { type Coordinator, startCoordinator } from "../server/coordinator/coordinator";
import { loadOrCreateCoordinatorKey } from "../server/coordinator/coordinator-key";
import { recordNodeRegistration } from "../server/coordinator/node-registry";
import { startEmbeddedDatabase } from "../server/database/embedded";
import { migrate } from "../server/database/migrate";
import { createDatabase } from "../server/db";
import type { TEnv } from "../server/env";
import { expireShares } from "../server/services/sharing/links";
import { createContext } from "../server/trpc";
import { webAppNodeArgs, webAppRuntimeEnv } from "./web-app-runtime";

/** How often ended shares and links are cleaned up. */
const SHARE_SWEEP_INTERVAL_MS = 60_000;

export const PROJECT_ROOT = resolve(import.meta.dirname, "..");

export interface RunningSystem {
	url: string;
	dataDir: string;
	/** The web app's output when started quietly (tests): dataDir/logs/web.log. */
	logFile: string;
	database: { kind: "embedded" | "postgres"; location: string; url: string };
	/** The coordinator and the local storage nodes (none when COFFRE_LOCAL_NODES is 0). */
	storage: {
		coordinator: Coordinator;
		nodes: { peerId: string; dataDir: string }[];
		location: string;
	};
	stop(): Promise<void>;
}

/** Folders and files whose changes make the production build stale. */
const BUILD_INPUTS = [
	"app",
	"client",
	"server",
	"crypto",
	"public",
	"proxy.ts",
	"next.config.js",
	"package-lock.json",
];

function newestMtime(path: string): number {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) {
		if (entry === "generated" || entry === "node_modules") continue;
		newest = Math.max(newest, newestMtime(join(path, entry)));
	}
	return newest;
}

/** True when there is no production build, or a source file is newer than it. */
export function buildIsStale(): boolean {
	const buildId = join(PROJECT_ROOT, ".next", "BUILD_ID");
	if (!existsSync(buildId)) return true;
	const builtAt = statSync(buildId).mtimeMs;
	return BUILD_INPUTS.some((input) => newestMtime(join(PROJECT_ROOT, input)) > builtAt);
}

const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");

function runNext(
	args: string[],
	env: Record<string, string>,
	quiet: boolean,
	logFile?: string,
): ChildProcess {
	const child = spawn(process.execPath, webAppNodeArgs(nextBin, args), {
		cwd: PROJECT_ROOT,
		env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
		stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
	});
	if (quiet && logFile) {
		const log = createWriteStream(logFile, { flags: "a" });
		child.stdout?.pipe(log);
		child.stderr?.pipe(log);
	}
	return child;
}

/** Runs `next build` and resolves when it succeeded. */
export async function buildWebApp({ quiet = false } = {}): Promise<void> {
	const build = runNext(["build"], {}, quiet);
	let output = "";
	build.stdout?.on("data", (chunk) => {
		output += chunk;
	});
	build.stderr?.on("data", (chunk) => {
		output += chunk;
	});
	const code = await new Promise<number | null>((done) => build.on("exit", done));
	if (code !== 0) throw new Error(`The web app failed to build (exit ${code}).\n${output}`);
}

/** Waits until every local node has registered with the coordinator. */
async function waitForRegistrations(
	coordinator: Coordinator,
	peerIds: string[],
	timeoutMs: number,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (peerIds.some((peerId) => !coordinator.directory.has(peerId))) {
		if (Date.now() > deadline) {
			const missing = peerIds.filter((peerId) => !coordinator.directory.has(peerId)).length;
			throw new Error(
				`${missing} storage node(s) did not register with the coordinator within ${timeoutMs / 1000} s.`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function waitUntil(
	check: () => Promise<boolean>,
	timeoutMs: number,
	failure: string,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(failure);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null)
			throw new Error(`The web app exited early (code ${child.exitCode}).`);
		try {
			const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
			if (response.status < 500) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`The web app did not answer at ${url} within ${timeoutMs / 1000} s.`);
}

/**
 * Starts everything and resolves once the web app answers. `dev` runs Next's dev server
 * instead of the production build; `quiet` keeps child output off the terminal (tests).
 */
export async function startSystem(
	env: TEnv,
	{ dev = false, quiet = false }: { dev?: boolean; quiet?: boolean } = {},
): Promise<RunningSystem> {
	const dataDir = resolve(PROJECT_ROOT, env.COFFRE_DATA_DIR);
	const stops: (() => Promise<void>)[] = [];
	const stopAll = async () => {
		for (const stop of stops.reverse()) await stop().catch((error) => console.error(error));
	};
	try {
		let databaseUrl = env.DATABASE_URL;
		let database: RunningSystem["database"];
		if (databaseUrl) {
			database = { kind: "postgres", location: new URL(databaseUrl).host, url: databaseUrl };
		} else {
			const location = join(dataDir, "db");
			const embedded = await startEmbeddedDatabase({ dataDir: location });
			stops.push(() => embedded.stop());
			databaseUrl = embedded.url;
			database = { kind: "embedded", location, url: databaseUrl };
		}
		await migrate(databaseUrl);

		const registry = createDatabase(databaseUrl, { poolMax: 2 });
		stops.push(() => registry.$disconnect());
		const coordinator = await startCoordinator({
			secretKey: loadOrCreateCoordinatorKey(join(dataDir, "coordinator")),
			onRegister: (record) => recordNodeRegistration(registry, record),
		});
		stops.push(() => coordinator.stop());
		if (env.COFFRE_TEST_CLOCK_FILE && !quiet)
			console.warn(`TEST ONLY: clocks run ahead by the ms in ${env.COFFRE_TEST_CLOCK_FILE}.`);
		// Shares and links whose time is up lose their keys and policy (DESIGN §7).
		const now = serverClock(env);
		const sweep = setInterval(() => {
			expireShares(createContext({ db: registry, now })).catch((error: unknown) =>
				console.error("Expiring shares failed:", error),
			);
		}, SHARE_SWEEP_INTERVAL_MS);
		sweep.unref();
		stops.push(async () => clearInterval(sweep));
		const nodesDir = join(dataDir, "nodes");
		let nodes: RunningSystem["storage"]["nodes"] = [];
		if (env.COFFRE_LOCAL_NODES > 0) {
			if (!quiet) console.log(`Starting ${env.COFFRE_LOCAL_NODES} local storage nodes…`);
			const network = await startLocalNetwork({
				count: env.COFFRE_LOCAL_NODES,
				dataDir: nodesDir,
				coordinator: { publicKey: coordinator.publicKey, addresses: coordinator.addresses },
				...(env.COFFRE_TEST_CLOCK_FILE ? { testClockFile: env.COFFRE_TEST_CLOCK_FILE } : {}),
			});
			stops.push(() => network.stop());
			nodes = network.nodes.map(({ peerId, dataDir: nodeDir }) => ({ peerId, dataDir: nodeDir }));
			const peerIds = nodes.map((node) => node.peerId);
			await waitForRegistrations(coordinator, peerIds, 30_000);
			await waitUntil(
				async () =>
					(await registry.storageNode.count({ where: { peerId: { in: peerIds } } })) ===
					peerIds.length,
				10_000,
				"The storage nodes' registrations were not recorded in the database.",
			);
		}

		if (!dev && buildIsStale()) {
			if (!quiet) console.log("Building the web app (first start or changed sources)…");
			await buildWebApp({ quiet });
		}

		const logDir = join(dataDir, "logs");
		mkdirSync(logDir, { recursive: true });
		const web = runNext(
			[dev ? "dev" : "start", "--port", String(env.PORT), "--hostname", env.HOST],
			{
				DATABASE_URL: databaseUrl,
				DATABASE_POOL_MAX: database.kind === "embedded" ? "4" : String(env.DATABASE_POOL_MAX),
				COFFRE_DATA_DIR: dataDir,
				PORT: String(env.PORT),
				COFFRE_ORIGIN: env.COFFRE_ORIGIN,
				COFFRE_RP_ID: env.COFFRE_RP_ID,
				COFFRE_SIGN_IN_LIMIT: String(env.COFFRE_SIGN_IN_LIMIT),
				COFFRE_STORAGE_QUOTA_GB: String(env.COFFRE_STORAGE_QUOTA_GB),
				NODE_ENV: dev ? "development" : "production",
				...webAppRuntimeEnv(),
				...(env.COFFRE_TEST_CLOCK_FILE
					? { COFFRE_TEST_CLOCK_FILE: env.COFFRE_TEST_CLOCK_FILE }
					: {}),
			},
			quiet,
			join(logDir, "web.log"),
		);
		stops.push(async () => {
			if (web.exitCode !== null) return;
			web.kill("SIGTERM");
			await new Promise((done) => web.once("exit", done));
		});
		const url = `http://localhost:${env.PORT}`;
		await waitForHttp(`${url}/api/trpc/health.check`, web, dev ? 120_000 : 60_000);
		return {
			url,
			dataDir,
			logFile: join(logDir, "web.log"),
			database,
			storage: { coordinator, nodes, location: nodesDir },
			stop: stopAll,
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}
