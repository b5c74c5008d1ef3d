// The coordinator's Ed25519 secret key, kept in its data folder (mode 0600) so storage nodes,
// which trust its public key, keep accepting its tickets across restarts.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const KEY_FILE = "coordinator.key";

/** Loads the key in `dir`, creating a fresh one the first time. */
export function loadOrCreateCoordinatorKey(dir: string): Uint8Array {
	const path = join(dir, KEY_FILE);
	if (existsSync(path)) {
		const key = new Uint8Array(readFileSync(path));
		if (key.length !== 32)
			throw new Error(
				`${path} is not a 32-byte coordinator key; move it away to create a new one.`,
			);
		return key;
	}
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const key = new Uint8Array(randomBytes(32));
	writeFileSync(path, key, { mode: 0o600, flag: "wx" });
	chmodSync(path, 0o600);
	return key;
}
