// The TEST-ONLY server clock: absent setting → real time; set → real time plus the offset in the
// file, re-read at every use; a relative path is refused when the settings are read.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serverClock } from "../../server/clock";
import { parseEnv } from "../../server/env";
import { setClockOffset } from "../helpers/test-clock";

const dir = mkdtempSync(join(tmpdir(), "coffre-clock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DAY = 24 * 3_600_000;

describe("the test-only server clock", () => {
	it("is real time when the setting is absent", () => {
		const env = parseEnv({});
		expect(env.COFFRE_TEST_CLOCK_FILE).toBeUndefined();
		expect(Math.abs(serverClock(env)().getTime() - Date.now())).toBeLessThan(5_000);
	});

	it("runs ahead by the offset in the file, read at every use", async () => {
		const file = join(dir, "offset");
		const now = serverClock(parseEnv({ COFFRE_TEST_CLOCK_FILE: file }));
		// No file yet: no offset.
		expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(5_000);
		await setClockOffset(file, 8 * DAY);
		expect(now().getTime() - Date.now()).toBeGreaterThan(8 * DAY - 5_000);
		await setClockOffset(file, 0);
		expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(5_000);
	});

	it("refuses a relative path", () => {
		expect(() => parseEnv({ COFFRE_TEST_CLOCK_FILE: "clock" })).toThrow(/COFFRE_TEST_CLOCK_FILE/);
	});
});
