// A temporary folder for one test file's own files (what a test uploads, say): made before its
// tests run and removed after them, whatever happened.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

export interface ScratchDir {
	/** The path of `name` inside the folder. */
	path(name: string): string;
}

/** Registers the folder's creation and removal with this test file's hooks. */
export function scratchDir(prefix: string): ScratchDir {
	let dir: string | undefined;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), prefix));
	});
	afterAll(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});
	return {
		path(name) {
			if (!dir) throw new Error("The scratch folder exists only while the tests run.");
			return join(dir, name);
		},
	};
}
