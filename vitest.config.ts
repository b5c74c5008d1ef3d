// Test projects: `unit` (pure logic, crypto, P2P and server integration on real parts)
// and `e2e` (real Chromium against the started app). `npm test` runs both, in that order.
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
	resolve: {
		// Tests import server modules directly, as the react-server build does.
		alias: { "server-only": resolve(import.meta.dirname, "node_modules/server-only/empty.js") },
	},
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: "unit",
					include: ["test/**/*.test.ts"],
					exclude: ["test/e2e/**", "**/node_modules/**"],
					testTimeout: 60_000,
					hookTimeout: 120_000,
					maxWorkers: 2,
				},
			},
			{
				extends: true,
				test: {
					name: "e2e",
					include: ["test/e2e/**/*.spec.ts"],
					testTimeout: 180_000,
					hookTimeout: 600_000,
					globalSetup: ["test/e2e/global-setup.ts"],
					// The browser waits for real work (ceremonies, uploads): poll for up to a minute.
					expect: { poll: { timeout: 60_000, interval: 100 } },
					fileParallelism: false,
				},
			},
		],
	},
});
