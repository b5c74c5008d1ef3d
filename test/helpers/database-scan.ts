// Zero-knowledge checks: dump every row of every table as text and look for secrets in any of
// the encodings they could be stored in (hex, base64, base64url, Postgres bytea); scan node
// disks and logs for canaries.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";

export function encodingsOf(secret: Uint8Array): string[] {
	const buffer = Buffer.from(secret);
	return [
		buffer.toString("hex"),
		buffer.toString("base64").replace(/=+$/, ""),
		buffer.toString("base64url"),
	];
}

/** All rows of all public tables, as one lowercase-insensitive searchable text. */
export async function dumpDatabase(url: string): Promise<string> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const { rows: tables } = await client.query<{ table_name: string }>(
			"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
		);
		const parts: string[] = [];
		for (const { table_name } of tables) {
			const { rows } = await client.query(
				`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`,
			);
			for (const row of rows) parts.push(`${table_name}: ${row.row}`);
		}
		return parts.join("\n");
	} finally {
		await client.end();
	}
}

/** The secrets (by label) whose bytes appear anywhere in `dump`. */
export function findSecrets(dump: string, secrets: Record<string, Uint8Array>): string[] {
	const haystack = dump.toLowerCase();
	return Object.entries(secrets)
		.filter(([, bytes]) =>
			encodingsOf(bytes).some((encoding) => haystack.includes(encoding.toLowerCase())),
		)
		.map(([label]) => label);
}

/** Every file below `dir` (node disks, logs), as `[path, bytes]`. */
export function readTree(dir: string): [string, Buffer][] {
	const out: [string, Buffer][] = [];
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) out.push(...readTree(path));
		else out.push([path, readFileSync(path)]);
	}
	return out;
}

/** Paths under `dir` whose bytes contain `needle` (as UTF-8). */
export function filesContaining(dir: string, needle: string): string[] {
	const bytes = Buffer.from(needle);
	return readTree(dir)
		.filter(([, content]) => content.includes(bytes))
		.map(([path]) => path);
}
