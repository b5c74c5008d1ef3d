// Runs the whole system exactly as `npm start` does (scripts/start.ts: embedded database,
// coordinator, local storage nodes, production web app) in a child process, for benchmarks.
// A child because the server's modules need Node's "react-server" condition ("server-only"),
// which `npm run bench` does not set; it also keeps the database and coordinator off the
// benchmark's own thread. Output goes to a log file, never to the terminal.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

/** Longest a start may take: it includes a production build when sources changed. */
const START_TIMEOUT_MS = 15 * 60_000;
const STOP_TIMEOUT_MS = 60_000;
/** scripts/system.ts holds the same path, but importing it needs the "react-server" condition. */
const PROJECT_ROOT = resolve(import.meta.dirname, "..");

export class SystemStartError extends Error {
	override name = "SystemStartError";
}

export interface SystemProcess {
	url: string;
	/** Everything the system printed (its web app's output included). */
	logFile: string;
	/** The last `count` lines of the log, for error reports. */
	logTail(count: number): string;
	/** Stops it as Ctrl-C would (every node and the web app with it). */
	stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once("exit", resolve));
	child.kill("SIGTERM");
	const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
	await exited;
	clearTimeout(timer);
}

/** Starts the system on `port` with its data in `dataDir`; resolves once it serves. */
export async function startSystemProcess({
	port,
	dataDir,
}: {
	port: number;
	dataDir: string;
}): Promise<SystemProcess> {
	const logFile = join(dataDir, "system.log");
	const log = createWriteStream(logFile, { flags: "a" });
	const child = spawn(
		process.execPath,
		["--import", "tsx", "--conditions=react-server", join("scripts", "start.ts")],
		{
			cwd: PROJECT_ROOT,
			env: { ...process.env, PORT: String(port), COFFRE_DATA_DIR: dataDir },
			stdio: ["ignore", "pipe", "pipe"],
		},
	);
	child.stderr?.pipe(log);
	const logTail = (count: number) =>
		existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-count).join("\n") : "";
	try {
		const url = await new Promise<string>((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new SystemStartError(`The system did not start in ${START_TIMEOUT_MS} ms.`)),
				START_TIMEOUT_MS,
			);
			createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
				log.write(`${line}\n`);
				const running = /Coffre is running at (\S+)/.exec(line);
				if (running) {
					clearTimeout(timer);
					resolve(running[1] as string);
				}
			});
			child.once("exit", (code) => {
				clearTimeout(timer);
				reject(new SystemStartError(`The system exited while starting (code ${code}).`));
			});
		});
		return { url, logFile, logTail, stop: () => stopChild(child) };
	} catch (error) {
		await stopChild(child);
		console.error(logTail(30));
		throw error;
	}
}
