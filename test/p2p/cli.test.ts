// The `coffre-node` command run as a real child process: help for every command, init, start
// with status output, clean shutdown on SIGINT and SIGTERM, and clear errors.
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { STORAGE_NODE_FLAGS } from "../../p2p/node/runtime-flags";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/coffre-node.js");
const KEY = "11".repeat(32);
const dirs: string[] = [];
afterAll(async () => {
	await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const run = (args: string[]) =>
	spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8" });

async function folder(): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), "coffre-cli-"));
	dirs.push(dir);
	return join(dir, "node");
}

describe("coffre-node", () => {
	it("prints help for itself and every command", () => {
		expect(run(["--help"]).stdout).toMatch(/Usage:[\s\S]*init[\s\S]*start[\s\S]*status/);
		for (const command of ["init", "start", "status"]) {
			const result = run([command, "--help"]);
			expect(result.status).toBe(0);
			expect(result.stdout).toMatch(new RegExp(`coffre-node ${command}[\\s\\S]*Options:`));
		}
	});

	it("runs as a command with the storage node's Node.js flags on its first line", async () => {
		const [firstLine] = (await readFile(BIN, "utf8")).split("\n");
		expect(firstLine).toBe(`#!/usr/bin/env -S node ${STORAGE_NODE_FLAGS.join(" ")}`);
		// Run as a program (the way npm links it), not as `node <file>`: the line must work.
		const direct = spawnSync(BIN, ["--help"], { cwd: ROOT, encoding: "utf8" });
		expect(direct.status).toBe(0);
		expect(direct.stdout).toMatch(/Usage:/);
	});

	it("initialises a folder, then starts, reports status and stops cleanly on SIGINT and SIGTERM", async () => {
		const data = await folder();
		const init = run(["init", "--data", data, "--capacity", "2GiB"]);
		expect(init.status).toBe(0);
		expect(init.stdout).toMatch(/peer id: 12D3Koo/);
		expect(init.stdout).toMatch(/capacity: 2\.0 GiB/);
		expect(run(["init", "--data", data]).stderr).toMatch(/already holds a node identity/);
		for (const signal of ["SIGINT", "SIGTERM"] as const) {
			const child = spawn(
				process.execPath,
				[
					BIN,
					"start",
					"--data",
					data,
					"--coordinator-key",
					KEY,
					"--listen",
					"/ip4/127.0.0.1/tcp/0",
				],
				{ cwd: ROOT },
			);
			const lines: string[] = [];
			createInterface({ input: child.stdout }).on("line", (l) => lines.push(l));
			await expect
				.poll(() => lines.join("\n"), { timeout: 30_000 })
				.toMatch(/listening on \/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//);
			// The usage line follows the address lines; wait for it rather than racing it.
			await expect
				.poll(() => lines.join("\n"), { timeout: 10_000 })
				.toMatch(/0 shards, 0 B of 2\.0 GiB used\n {2}shards are written straight to the disk/);
			const code = new Promise((resolve) => child.once("exit", resolve));
			child.kill(signal);
			expect(await code).toBe(0);
			expect(lines.at(-1)).toBe(`stopped on ${signal}; 0 shards kept`);
		}
		expect(run(["status", "--data", data]).stdout).toMatch(/shards: 0\nused: 0 B of 2\.0 GiB/);
	});

	it("refuses bad command lines with a pointer to --help", async () => {
		const data = await folder();
		const notInit = run(["start", "--data", data, "--coordinator-key", KEY]);
		expect(notInit.status).toBe(1);
		expect(notInit.stderr).toMatch(/run `coffre-node init` first/);
		const badKey = run(["start", "--data", data, "--coordinator-key", "zz"]);
		expect(badKey.status).toBe(2);
		expect(badKey.stderr).toMatch(/--coordinator-key must be 64 hex characters[\s\S]*--help/);
		expect(run(["init", "--data", data, "--capacity", "lots"]).stderr).toMatch(
			/--capacity must be a size/,
		);
		expect(run(["frobnicate"]).status).toBe(2);
	});
});
