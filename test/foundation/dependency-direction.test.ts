// Proves the linter enforces DESIGN §2's import table: a fixture project with the real
// biome.json and lint rules, one forbidden import per rule, must fail; allowed imports pass.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const biome = join(root, "node_modules/.bin/biome");
let project: string;

function write(path: string, text: string): void {
	mkdirSync(dirname(join(project, path)), { recursive: true });
	writeFileSync(join(project, path), text);
}

function lint(path: string): { ok: boolean; output: string } {
	try {
		const output = execFileSync(biome, ["lint", "--max-diagnostics=50", path], {
			cwd: project,
			encoding: "utf8",
			stdio: "pipe",
		});
		return { ok: true, output };
	} catch (error) {
		const { stdout, stderr } = error as { stdout: string; stderr: string };
		return { ok: false, output: `${stdout}${stderr}` };
	}
}

beforeAll(() => {
	project = mkdtempSync(join(tmpdir(), "coffre-lint-"));
	const config = JSON.parse(readFileSync(join(root, "biome.json"), "utf8"));
	delete config.$schema;
	config.vcs = { enabled: false };
	writeFileSync(join(project, "biome.json"), JSON.stringify(config));
	cpSync(join(root, "lint"), join(project, "lint"), { recursive: true });
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("dependency direction (DESIGN §2)", () => {
	const forbidden: [string, string, RegExp][] = [
		[
			"crypto/uses-node.ts",
			'import { readFileSync } from "node:fs";\nexport const f = readFileSync;\n',
			/crypto\/ is pure/,
		],
		[
			"crypto/uses-server.ts",
			'import { db } from "../server/db";\nexport const d = db;\n',
			/crypto\/ is pure/,
		],
		[
			"crypto/uses-package.ts",
			'import { z } from "zod";\nexport const s = z;\n',
			/crypto\/ is pure/,
		],
		[
			"p2p/uses-server.ts",
			'import { db } from "../server/db";\nexport const d = db;\n',
			/p2p\/ may import crypto/,
		],
		[
			"server/uses-client.ts",
			'import { unlock } from "../client/unlock";\nexport const u = unlock;\n',
			/server\/ may import crypto/,
		],
		[
			"client/uses-server-value.ts",
			'import { appRouter } from "../server/root";\nexport const r = appRouter;\n',
			/only types from server/,
		],
		[
			"client/uses-node.ts",
			'import { randomBytes } from "node:crypto";\nexport const r = randomBytes;\n',
			/runs in the browser/,
		],
		[
			"client/uses-p2p.ts",
			'import { node } from "../p2p/node";\nexport const n = node;\n',
			/runs in the browser/,
		],
		[
			"app/page-uses-server.tsx",
			'import { db } from "../server/db";\nexport const d = db;\n',
			/only route handlers/,
		],
		[
			"server/uses-test.ts",
			'import { helper } from "../test/helpers/x";\nexport const h = helper;\n',
			/never imports test/,
		],
	];

	it.each(forbidden)("refuses %s", (path, source, message) => {
		write(path, source);
		const result = lint(path);
		expect(result.ok).toBe(false);
		expect(result.output).toMatch(message);
	});

	it("accepts the imports the table allows", () => {
		write(
			"crypto/ok.ts",
			'import { sha256 } from "@noble/hashes/sha2.js";\nimport { x } from "./x";\nexport const h = [sha256, x];\n',
		);
		write("crypto/x.ts", "export const x = 1;\n");
		write(
			"client/ok.ts",
			'import type { AppRouter } from "../server/root";\nimport { x } from "../crypto/x";\nexport type R = AppRouter;\nexport const y = x;\n',
		);
		write(
			"app/api/trpc/route.ts",
			'import { appRouter } from "../../../server/root";\nexport const r = appRouter;\n',
		);
		write(
			"p2p/ok.ts",
			'import { x } from "../crypto/x";\nimport { createLibp2p } from "libp2p";\nexport const n = [x, createLibp2p];\n',
		);
		for (const path of [
			"crypto/ok.ts",
			"client/ok.ts",
			"client/erasure-ok.ts",
			"app/api/trpc/route.ts",
			"p2p/ok.ts",
		]) {
			const result = lint(path);
			expect(result.output).not.toMatch(/DESIGN §2/);
		}
	});
});
