// Crash safety of the disk store (DESIGN §1.3, §5): a writer process is SIGKILLed at random
// moments mid-write; after reopening, every shard whose put returned is served intact, nothing
// torn is ever served, and the leftovers of the interrupted write are gone.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { shardRoot } from "../../crypto/merkle";
import { openShardStore } from "../../p2p/store/shard-store";
import { fromHex, toHex } from "../../p2p/wire/hex";

const WRITER = join(import.meta.dirname, "fixtures/store-writer.ts");
const dirs: string[] = [];
afterAll(async () => {
	await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Runs the writer until it has completed `afterPuts` puts plus a random delay, then SIGKILLs it. */
async function writeAndKill(dir: string, afterPuts: number, extraMs: number): Promise<string[]> {
	const child = spawn(process.execPath, ["--import", "tsx", WRITER, dir], {
		stdio: ["ignore", "pipe", "inherit"],
	});
	const completed: string[] = [];
	const exited = new Promise((resolve) => child.once("exit", resolve));
	await new Promise<void>((resolve) => {
		createInterface({ input: child.stdout }).on("line", (line) => {
			if (line === "open") return;
			completed.push(line);
			if (completed.length === afterPuts) setTimeout(resolve, extraMs);
		});
		child.once("exit", () => resolve());
	});
	child.kill("SIGKILL");
	await exited;
	return [...completed];
}

describe("a store killed mid-write", () => {
	it("serves every completed shard intact and never a torn one, over several kills", async () => {
		const dir = await mkdtemp(join(tmpdir(), "coffre-crash-"));
		dirs.push(dir);
		const completed = new Set<string>();
		for (const [puts, extraMs] of [
			[2, 3],
			[1, 17],
			[3, 0],
			[1, 41],
		] as const) {
			for (const root of await writeAndKill(dir, puts, extraMs)) completed.add(root);
			const store = await openShardStore({ dir, capacityBytes: 2 ** 40 });
			const held = store.list().map((s) => s.rootHex);
			for (const root of completed) expect(held).toContain(root);
			for (const rootHex of held) {
				const data = await store.get(fromHex(rootHex, 32) as Uint8Array);
				expect(toHex(shardRoot(data))).toBe(rootHex);
			}
			expect(await readdir(join(dir, "tmp"))).toEqual([]);
			expect(await readdir(join(dir, "quarantine"))).toEqual([]);
		}
		expect(completed.size).toBeGreaterThanOrEqual(7);
	});
});
