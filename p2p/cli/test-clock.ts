// TEST-ONLY clock for `coffre-node start --test-clock-file <path>`: the node's time is the real
// time plus the number of ms written in that file (read at every use; missing or unreadable
// means no offset), so tests can move the time of child-process nodes without restarting them.
// Never used unless that flag is given.
import { readFileSync } from "node:fs";

/** A clock running `offset` ms (from `path`) ahead of Date.now(). */
export function fileOffsetClock(path: string): () => number {
	return () => {
		let offset = 0;
		try {
			offset = Number(readFileSync(path, "utf8").trim());
		} catch {
			offset = 0;
		}
		return Date.now() + (Number.isSafeInteger(offset) ? offset : 0);
	};
}
