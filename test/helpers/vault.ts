// Server tests of the vault: a signed-up person with a personal vault, and random stand-ins of
// the sizes a browser sends for sealed names and wrapped keys (the server never opens them).
import { randomBytes, randomUUID } from "node:crypto";
import type { Database } from "../../server/db";
import { b64u, signUp, TestBrowser } from "./accounts";

export const sealedNameStandIn = () => b64u(randomBytes(80));
export const wrappedKeyStandIn = () => b64u(randomBytes(105));

/** Signs `handle` up on `db` and creates their personal vault. */
export async function personWithVault(db: Database, handle: string) {
	const browser = new TestBrowser(db);
	await signUp(browser, { handle });
	const vault = await browser.api.vault.createPersonal({
		id: randomUUID(),
		wrappedVaultKey: wrappedKeyStandIn(),
	});
	return { browser, api: browser.api, vault };
}
