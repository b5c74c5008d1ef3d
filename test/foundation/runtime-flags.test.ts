// The Node.js and V8 flags the web app and the storage nodes run with
// (scripts/web-app-runtime.ts, p2p/node/runtime-flags.ts) must be ones this Node accepts where
// they are given: a flag Node refuses stops the process before it serves anything.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { STORAGE_NODE_FLAGS } from "../../p2p/node/runtime-flags";
import {
	WEB_APP_NODE_FLAGS,
	WEB_APP_V8_FLAGS,
	webAppNodeArgs,
	webAppRuntimeEnv,
} from "../../scripts/web-app-runtime";

/** Exit status of this Node run with `args` and the given NODE_OPTIONS. */
function runNode(args: readonly string[], nodeOptions = ""): number | null {
	const result = spawnSync(process.execPath, [...args, "-e", "process.exit(0)"], {
		env: { ...process.env, NODE_OPTIONS: nodeOptions },
		stdio: "ignore",
	});
	return result.status;
}

describe("runtime flags", () => {
	it("gives the web app's V8 flags to `next start` only, before Next's entry", () => {
		expect(webAppNodeArgs("/next/bin", ["start", "--port", "3000"])).toEqual([
			...WEB_APP_V8_FLAGS,
			"/next/bin",
			"start",
			"--port",
			"3000",
		]);
		expect(WEB_APP_V8_FLAGS.length).toBeGreaterThan(0);
		// Build and dev workers get this process's flags in NODE_OPTIONS, which refuses them.
		expect(webAppNodeArgs("/next/bin", ["build"])).toEqual(["/next/bin", "build"]);
		expect(webAppNodeArgs("/next/bin", ["dev", "--port", "3000"])).toEqual([
			"/next/bin",
			"dev",
			"--port",
			"3000",
		]);
	});

	it("gives every flag where this Node accepts it", () => {
		expect(runNode(STORAGE_NODE_FLAGS)).toBe(0);
		const NODE_OPTIONS = webAppRuntimeEnv({} as NodeJS.ProcessEnv).NODE_OPTIONS ?? "";
		expect(NODE_OPTIONS.split(" ")).toEqual([...WEB_APP_NODE_FLAGS]);
		expect(runNode(WEB_APP_V8_FLAGS, NODE_OPTIONS)).toBe(0);
		// A flag Node does not know fails the same check.
		expect(runNode(["--no-such-coffre-flag"])).not.toBe(0);
	});

	it("keeps the V8 flags out of NODE_OPTIONS, which refuses them", () => {
		expect(runNode([], WEB_APP_V8_FLAGS.join(" "))).not.toBe(0);
	});
});
