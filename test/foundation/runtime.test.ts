// The project pins Node 24 through the `node` devDependency (DESIGN §2): every npm script,
// and so every test, must run on it even where the machine's Node is older.
import { describe, expect, it } from "vitest";

describe("runtime", () => {
	it("runs on Node 24 or newer, as pinned in package.json", () => {
		const major = Number(process.versions.node.split(".")[0]);
		expect(major).toBeGreaterThanOrEqual(24);
	});

	it("has the APIs libp2p 3 relies on", () => {
		expect(typeof Promise.withResolvers).toBe("function");
		expect(typeof globalThis.crypto.subtle.encrypt).toBe("function");
	});
});
