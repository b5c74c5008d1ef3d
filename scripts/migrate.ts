// `npm run db:migrate`: applies pending migrations to the PostgreSQL at DATABASE_URL (the
// embedded database is migrated by `npm start` itself).
import { migrate } from "../server/database/migrate";
import { parseEnv } from "../server/env";

const env = parseEnv();
if (!env.DATABASE_URL) {
	console.error(
		"DATABASE_URL is not set. The embedded database is migrated by `npm start`; set DATABASE_URL to migrate a PostgreSQL server.",
	);
	process.exit(2);
}
try {
	const applied = await migrate(env.DATABASE_URL);
	console.log(
		applied.length > 0 ? `Applied: ${applied.join(", ")}` : "The database is up to date.",
	);
} catch (error) {
	console.error((error as Error).message);
	process.exit(1);
}
