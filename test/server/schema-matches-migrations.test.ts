// prisma/schema.prisma and the hand-written migrations must describe the same database
// (DESIGN §6: Prisma's native `migrate diff` cannot run here). The migrated database is read
// back from the catalog and compared with the schema: tables, columns, types, nullability,
// defaults present, primary keys, unique and plain indexes, foreign keys.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { DATABASE_KINDS, setupTestDatabase } from "../helpers/database";

interface ExpectedColumn {
	table: string;
	column: string;
	type: string;
	nullable: boolean;
	hasDefault: boolean;
}

const SCALAR_TYPES: Record<string, string> = {
	String: "text",
	Boolean: "boolean",
	Int: "integer",
	BigInt: "bigint",
	Float: "double precision",
	DateTime: "timestamp(3) without time zone",
	Json: "jsonb",
	Bytes: "bytea",
};

function nativeType(attributes: string): string | undefined {
	const native = attributes.match(/@db\.(\w+)(?:\((\d+)\))?/);
	if (!native) return undefined;
	const [, name, arg] = native;
	switch (name) {
		case "Uuid":
			return "uuid";
		case "VarChar":
			return `character varying(${arg})`;
		case "Timestamptz":
			return `timestamp(${arg ?? 3}) with time zone`;
		case "SmallInt":
			return "smallint";
		case "Integer":
			return "integer";
		default:
			return name?.toLowerCase();
	}
}

/** Reads models from schema.prisma: their columns, indexes and relations. */
function readSchema(text: string) {
	const enums = new Set([...text.matchAll(/^enum (\w+) \{/gm)].map((m) => m[1]));
	const models = [...text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)];
	const modelTables = new Map<string, string>();
	for (const [, name, body] of models) {
		modelTables.set(name as string, body?.match(/@@map\("(\w+)"\)/)?.[1] ?? (name as string));
	}
	const columns: ExpectedColumn[] = [];
	const indexes: string[] = [];
	const foreignKeys: string[] = [];
	for (const [, name, body] of models) {
		const table = modelTables.get(name as string) as string;
		const fieldColumn = new Map<string, string>();
		const relations: [field: string, target: string][] = [];
		for (const line of (body as string).split("\n").map((l) => l.trim())) {
			const field = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/);
			if (!field || line.startsWith("//") || line.startsWith("@@")) continue;
			const [, fieldName, type, list, optional, attributes = ""] = field as string[];
			if (modelTables.has(type as string)) {
				const relation = attributes.match(
					/fields: \[(\w+)\], references: \[(\w+)\](?:, onDelete: (\w+))?/,
				);
				if (relation)
					relations.push([relation[1] as string, modelTables.get(type as string) as string]);
				continue;
			}
			const column = attributes.match(/@map\("(\w+)"\)/)?.[1] ?? (fieldName as string);
			fieldColumn.set(fieldName as string, column);
			const base = enums.has(type)
				? type?.toLowerCase()
				: (nativeType(attributes) ?? SCALAR_TYPES[type as string]);
			columns.push({
				table,
				column,
				type: list ? `${base}[]` : (base as string),
				nullable: Boolean(optional) || Boolean(list),
				// uuid() and cuid() defaults are made by Prisma Client, not by the database.
				hasDefault: /@default\((?!uuid\(|cuid\()/.test(attributes),
			});
			if (attributes.includes("@id")) indexes.push(`${table}_pkey unique (${column})`);
			if (attributes.includes("@unique")) indexes.push(`${table}_${column}_key unique (${column})`);
		}
		for (const [field, target] of relations) {
			foreignKeys.push(`${table}.${fieldColumn.get(field) ?? field}->${target}`);
		}
		const col = (fields: string) =>
			fields
				.split(",")
				.map((f) => fieldColumn.get(f.trim()) ?? f.trim())
				.join(", ");
		for (const [, fields] of (body as string).matchAll(/@@index\(\[([\w, ]+)\]\)/g)) {
			indexes.push(
				`${table}_${col(fields as string).replaceAll(", ", "_")}_idx (${col(fields as string)})`,
			);
		}
		for (const [, fields] of (body as string).matchAll(/@@unique\(\[([\w, ]+)\]\)/g)) {
			indexes.push(
				`${table}_${col(fields as string).replaceAll(", ", "_")}_key unique (${col(fields as string)})`,
			);
		}
		for (const [, fields] of (body as string).matchAll(/@@id\(\[([\w, ]+)\]\)/g)) {
			indexes.push(`${table}_pkey unique (${col(fields as string)})`);
		}
	}
	return {
		tables: [...modelTables.values()].sort(),
		columns,
		indexes: indexes.sort(),
		foreignKeys: foreignKeys.sort(),
	};
}

async function readDatabase(url: string) {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const tables = await client.query<{ table_name: string }>(
			`SELECT table_name FROM information_schema.tables
			 WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
		);
		const columns = await client.query<{
			table: string;
			column: string;
			type: string;
			nullable: boolean;
			has_default: boolean;
		}>(
			`SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
			        NOT a.attnotnull AS nullable, a.atthasdef AS has_default
			 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			 WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
			   AND c.relname <> '_prisma_migrations'`,
		);
		const indexes = await client.query<{ name: string; unique: boolean; columns: string }>(
			`SELECT i.relname AS name, ix.indisunique AS unique,
			        string_agg(a.attname, ', ' ORDER BY array_position(ix.indkey::int2[], a.attnum)) AS columns
			 FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
			 JOIN pg_namespace n ON n.oid = t.relnamespace
			 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey)
			 WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
			 GROUP BY i.relname, ix.indisunique`,
		);
		const foreignKeys = await client.query<{ fk: string }>(
			`SELECT c.conrelid::regclass::text || '.' || a.attname || '->' || c.confrelid::regclass::text AS fk
			 FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
			 WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
		);
		return {
			tables: tables.rows.map((r) => r.table_name).sort(),
			columns: columns.rows.map((r) => ({
				table: r.table,
				column: r.column,
				type: r.type,
				nullable: r.nullable,
				hasDefault: r.has_default,
			})),
			indexes: indexes.rows
				.map((r) => `${r.name}${r.unique ? " unique" : ""} (${r.columns})`)
				.sort(),
			foreignKeys: foreignKeys.rows.map((r) => r.fk.replaceAll('"', "")).sort(),
		};
	} finally {
		await client.end();
	}
}

const byKey = (c: ExpectedColumn) => `${c.table}.${c.column}`;
const sortColumns = (columns: ExpectedColumn[]) =>
	[...columns].sort((a, b) => byKey(a).localeCompare(byKey(b)));

describe.each(DATABASE_KINDS)("schema.prisma matches the migrated %s database", (kind) => {
	const database = setupTestDatabase(kind);
	const schema = readSchema(
		readFileSync(resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8"),
	);

	it("has the same tables", async () => {
		expect((await readDatabase(database.current.url)).tables).toEqual(schema.tables);
	});

	it("has the same columns, types, nullability and defaults", async () => {
		const actual = await readDatabase(database.current.url);
		expect(sortColumns(actual.columns)).toEqual(sortColumns(schema.columns));
	});

	it("has the same keys, indexes and foreign keys", async () => {
		const actual = await readDatabase(database.current.url);
		expect(actual.indexes).toEqual(schema.indexes);
		expect(actual.foreignKeys).toEqual(schema.foreignKeys);
	});
});
