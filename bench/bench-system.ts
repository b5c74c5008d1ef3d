// Gives a benchmark the whole system (scripts/start.ts in a child process) and a headless
// Chromium, plus a scratch folder for its files, and always stops both and removes every folder
// they used — when the benchmark returns, when it throws, and on Ctrl-C. It measures nothing.
// Chromium comes two ways, each started on first use: `browser()` makes throwaway contexts
// (incognito-like: the site's storage, the private file system included, lives in memory), and
// `profile()` is one browser with a profile on disk, as a person's everyday browser has.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { freePort } from "../scripts/free-port";
import { launchChromium, launchChromiumWithProfile } from "../scripts/headless-chromium";
import { type SystemProcess, startSystemProcess } from "./system-process";

export interface BenchSystem {
	system: SystemProcess;
	/** A Chromium for throwaway (incognito-like) contexts, one per person. */
	browser(): Promise<Browser>;
	/** The one context of a Chromium with a profile on disk (a person's everyday browser). */
	profile(): Promise<BrowserContext>;
	/** An empty folder for the benchmark's own files, removed afterwards. */
	scratchDir: string;
}

/** Progress on stderr: runs against the whole system take minutes. */
export const progress = (line: string) => console.error(`  · ${line}`);

/** Starts the system and Chromium, runs `work` with them, and cleans up whatever happens. */
export async function withBenchSystem<T>(work: (bench: BenchSystem) => Promise<T>): Promise<T> {
	const scratchDir = await mkdtemp(join(tmpdir(), "coffre-bench-files-"));
	const dataDir = await mkdtemp(join(tmpdir(), "coffre-bench-system-"));
	let system: SystemProcess | undefined;
	let browser: Promise<Browser> | undefined;
	let profile: Promise<BrowserContext> | undefined;
	let cleaning: Promise<void> | undefined;
	const cleanUp = () => {
		cleaning ??= (async () => {
			await (await browser?.catch(() => undefined))?.close().catch((error) => console.error(error));
			await (await profile?.catch(() => undefined))?.close().catch((error) => console.error(error));
			await system?.stop();
			await rm(scratchDir, { recursive: true, force: true });
			await rm(dataDir, { recursive: true, force: true });
		})();
		return cleaning;
	};
	// Ctrl-C during a long run still stops the system and the browser and removes the files.
	const interrupted = (signal: NodeJS.Signals) => {
		console.error(`\n${signal}: stopping the system and the browser…`);
		void cleanUp().finally(() => process.exit(130));
	};
	process.once("SIGINT", interrupted);
	process.once("SIGTERM", interrupted);
	try {
		progress("starting the system (a production build first if sources changed)");
		system = await startSystemProcess({ port: await freePort(), dataDir });
		// The driver's DevTools keeps no request or response bodies: the browser does what a
		// person's browser does, no more (it copied every body and held up to 200 MB of them).
		return await work({
			system,
			browser: () => {
				browser ??= launchChromium({ keepNetworkBodies: false });
				return browser;
			},
			profile: () => {
				profile ??= launchChromiumWithProfile(join(dataDir, "browser-profile"), {
					keepNetworkBodies: false,
				});
				return profile;
			},
			scratchDir,
		});
	} catch (error) {
		if (system) console.error(`System log (last lines):\n${system.logTail(30)}`);
		throw error;
	} finally {
		process.off("SIGINT", interrupted);
		process.off("SIGTERM", interrupted);
		await cleanUp();
	}
}
