// Locates the project's shared reference vectors: `../shared/vectors` beside the project root
// (a clone), or the nearest `shared/vectors` further up (a worktree nested one level deeper).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const projectRoot = resolve(import.meta.dirname, "../..");

/** Absolute path of the shared vectors folder; throws if none is found. */
export function sharedVectorsDir(): string {
	for (let dir = dirname(projectRoot); ; dir = dirname(dir)) {
		const candidate = join(dir, "shared", "vectors");
		if (existsSync(candidate)) return candidate;
		if (dirname(dir) === dir) break;
	}
	throw new Error(`no shared/vectors folder found above ${projectRoot}`);
}

/** Parses a JSON file under the shared vectors folder, e.g. "reed-solomon/klauspost-default-matrix.json". */
export function readSharedVectors<T>(relativePath: string): T {
	return JSON.parse(readFileSync(join(sharedVectorsDir(), relativePath), "utf8")) as T;
}
