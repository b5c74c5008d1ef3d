// The server's clock: real time, or — TEST ONLY, when COFFRE_TEST_CLOCK_FILE is set — real time
// plus the milliseconds written in that file, read at every use, so a browser test can move the
// time of the running web app, its sweeps and the local storage nodes together (the nodes read
// the same file through `coffre-node --test-clock-file`). Never set outside tests.
import { fileOffsetClock } from "../p2p/cli/test-clock";
import type { TEnv } from "./env";

/** `now()` for request and job contexts under these settings. */
export function serverClock(env: Pick<TEnv, "COFFRE_TEST_CLOCK_FILE">): () => Date {
	if (!env.COFFRE_TEST_CLOCK_FILE) return () => new Date();
	const now = fileOffsetClock(env.COFFRE_TEST_CLOCK_FILE);
	return () => new Date(now());
}
