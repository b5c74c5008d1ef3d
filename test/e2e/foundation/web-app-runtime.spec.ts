// The web app runs with its runtime settings (scripts/web-app-runtime.ts): the Node.js flags
// that keep the gateway's memory low and the malloc arena limit reach the real process that
// serves the system under test, whatever started it.
import { readdir, readFile } from "node:fs/promises";
import { describe, expect, inject, it } from "vitest";
import { WEB_APP_NODE_FLAGS, webAppRuntimeEnv } from "../../../scripts/web-app-runtime";

const baseUrl = inject("baseUrl");

/** The environment each process started with, for processes whose command line matches. */
async function environmentsOf(command: RegExp): Promise<Map<string, string>[]> {
	const found: Map<string, string>[] = [];
	for (const pid of (await readdir("/proc")).filter((name) => /^\d+$/.test(name))) {
		try {
			const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ");
			if (!command.test(cmdline)) continue;
			const environ = await readFile(`/proc/${pid}/environ`, "utf8");
			found.push(
				new Map(
					environ
						.split("\0")
						.filter((entry) => entry.includes("="))
						.map((entry) => [
							entry.slice(0, entry.indexOf("=")),
							entry.slice(entry.indexOf("=") + 1),
						]),
				),
			);
		} catch {
			// exited meanwhile, or not ours to read
		}
	}
	return found;
}

/** A process environment holding only `variables`. */
const environment = (variables: Record<string, string>) =>
	variables as unknown as NodeJS.ProcessEnv;

describe("web app runtime", () => {
	it("adds its flags to NODE_OPTIONS and limits malloc arenas, keeping what was set", () => {
		expect(webAppRuntimeEnv(environment({}))).toEqual({
			NODE_OPTIONS: WEB_APP_NODE_FLAGS.join(" "),
			MALLOC_ARENA_MAX: "2",
		});
		expect(
			webAppRuntimeEnv(
				environment({ NODE_OPTIONS: "--enable-source-maps", MALLOC_ARENA_MAX: "4" }),
			),
		).toEqual({
			NODE_OPTIONS: ["--enable-source-maps", ...WEB_APP_NODE_FLAGS].join(" "),
			MALLOC_ARENA_MAX: "4",
		});
	});

	it("starts the web app serving this system with them", async () => {
		const port = new URL(baseUrl).port;
		const webApp = (await environmentsOf(/next\/dist\/bin\/next|^next-server/)).filter(
			(environment) => environment.get("PORT") === port,
		);
		expect(webApp.length).toBeGreaterThan(0);
		for (const environment of webApp) {
			const options = (environment.get("NODE_OPTIONS") ?? "").split(/\s+/);
			for (const flag of WEB_APP_NODE_FLAGS) expect(options).toContain(flag);
			expect(environment.get("MALLOC_ARENA_MAX")).toBe(process.env.MALLOC_ARENA_MAX ?? "2");
		}
	});
});
