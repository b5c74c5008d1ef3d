// Prisma CLI configuration. The runtime never reads it: server/db.ts builds the client with a
// driver adapter. `prisma generate` needs no database; `prisma migrate deploy` (where its schema
// engine can be had) reads DATABASE_URL.
import { defineConfig } from "prisma/config";

export default defineConfig({
	schema: "prisma/schema.prisma",
	migrations: { path: "prisma/migrations" },
	datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/coffre" },
});
