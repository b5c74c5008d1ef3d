// Moves the TEST-ONLY clock of a running system (COFFRE_TEST_CLOCK_FILE, read by the web app and
// by every local storage node at each use). Written atomically, so nobody reads half a number.
import { rename, writeFile } from "node:fs/promises";

/** Sets the clocks reading `clockFile` to real time + `ms`. */
export async function setClockOffset(clockFile: string, ms: number): Promise<void> {
	const tmp = `${clockFile}.tmp`;
	await writeFile(tmp, String(ms));
	await rename(tmp, clockFile);
}
