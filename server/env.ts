// Every setting Coffre reads, validated with zod before anything starts. Fails with a readable
// list of what is wrong; never prints a value (a URL can hold a password).
import { z } from "zod";

const ZPort = z.coerce.number().int().min(0).max(65_535);

/** Storage per person, in GB, when COFFRE_STORAGE_QUOTA_GB is not set. */
export const DEFAULT_STORAGE_QUOTA_GB = 10;

export const ZEnv = z.object({
	NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
	/** Port of the web app and API. */
	PORT: ZPort.default(3000),
	/** Interface the web app listens on; loopback by default. */
	HOST: z.string().min(1).default("127.0.0.1"),
	/** Where Coffre keeps its data (embedded database, local storage nodes). */
	COFFRE_DATA_DIR: z.string().min(1).default("./data"),
	/** A PostgreSQL server. Unset: the embedded PGlite database in COFFRE_DATA_DIR/db. */
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
		.optional(),
	/** Connections per process; the embedded database serves one at a time. */
	DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
	/** WebAuthn relying-party id: the site's domain, without scheme or port. */
	COFFRE_RP_ID: z.string().min(1).default("localhost"),
	/** The exact origin browsers use, e.g. https://vault.example.org. */
	COFFRE_ORIGIN: z.url().optional(),
	/**
	 * Sign-up and sign-in attempts allowed per client address in five minutes. Raise it where
	 * many people share one address (an office or a family behind one router).
	 */
	COFFRE_SIGN_IN_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
	/**
	 * Storage each person may use, in GB (10^9 bytes; decimals allowed): the sizes of all their
	 * files' versions, the trash included. The network's volunteers give their disks; no one
	 * account may fill them.
	 */
	COFFRE_STORAGE_QUOTA_GB: z.coerce
		.number()
		.min(0)
		.max(1_000_000)
		.default(DEFAULT_STORAGE_QUOTA_GB),
	/** Number of local storage nodes `npm start` runs (0 to join a network instead). */
	COFFRE_LOCAL_NODES: z.coerce.number().int().min(0).max(32).default(6),
	/**
	 * TEST ONLY: an absolute path to a file holding the milliseconds the server's and the local
	 * storage nodes' clocks run ahead (browser tests move time with it to expire links). Never
	 * set it in a real deployment.
	 */
	COFFRE_TEST_CLOCK_FILE: z
		.string()
		.regex(/^\//, "must be an absolute path (test-only setting)")
		.optional(),
});

export type TEnv = z.infer<typeof ZEnv> & { COFFRE_ORIGIN: string };

/** Reads and validates settings from `source` (process.env by default). */
export function parseEnv(source: Record<string, string | undefined> = process.env): TEnv {
	const result = ZEnv.safeParse(source);
	if (!result.success) {
		const problems = result.error.issues
			.map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`)
			.join("\n");
		throw new Error(
			`Coffre cannot start: invalid settings.\n${problems}\nSee README.md, "Configuration".`,
		);
	}
	const env = result.data;
	return { ...env, COFFRE_ORIGIN: env.COFFRE_ORIGIN ?? `http://localhost:${env.PORT}` };
}
