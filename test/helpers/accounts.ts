// Drives sign-up and sign-in through tRPC callers with a software authenticator, the way the
// browser client does, for server tests. Key material is random bytes of the right sizes: the
// server stores it without being able to open it, which is exactly what these tests check.
import { randomBytes } from "node:crypto";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { generateIdentityKeys, signPublicIdentity } from "../../crypto";
import { type CookieJar, memoryCookieJar } from "../../server/auth/cookies";
import type { Database } from "../../server/db";
import { createCaller } from "../../server/root";
import { createContext, DEFAULT_RELYING_PARTY, type RelyingParty } from "../../server/trpc";
import { SoftwareAuthenticator } from "./software-authenticator";

export const b64u = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");

/** One browser: its cookie jar, its clock and its authenticator. */
export class TestBrowser {
	readonly cookies: CookieJar & { values: Map<string, string> } = memoryCookieJar();
	readonly authenticator = new SoftwareAuthenticator();
	/** Milliseconds added to the real clock, to move time forward in a test. */
	clockOffsetMs = 0;
	/** The server's storage quota for this browser's calls (the default when unset). */
	storageQuotaBytes: number | undefined;

	constructor(
		readonly db: Database,
		readonly relyingParty: RelyingParty = DEFAULT_RELYING_PARTY,
		readonly clientKey = `test-${randomBytes(4).toString("hex")}`,
	) {}

	get api() {
		return createCaller(
			createContext({
				db: this.db,
				cookies: this.cookies,
				relyingParty: this.relyingParty,
				now: () => new Date(Date.now() + this.clockOffsetMs),
				clientKey: this.clientKey,
				...(this.storageQuotaBytes === undefined
					? {}
					: { storageQuotaBytes: this.storageQuotaBytes }),
			}),
		);
	}
}

/**
 * Key material as a browser sends it at sign-up: a real self-signed PublicIdentity for `userId`
 * (the server checks it) and random bytes of the right sizes for what only browsers can open.
 */
export function randomAccountKeys(
	userId: string,
	{ unlock = "prf" }: { unlock?: "prf" | "passphrase" } = {},
) {
	const wrapped = () => b64u(randomBytes(105));
	return {
		publicIdentity: b64u(
			signPublicIdentity(generateIdentityKeys(), { userId, createdAt: Date.now() }),
		),
		sealedIdentitySecrets: b64u(randomBytes(137)),
		unlock:
			unlock === "prf"
				? { kind: "prf" as const, prfSalt: b64u(randomBytes(32)), wrappedAccountKey: wrapped() }
				: {
						kind: "passphrase" as const,
						salt: b64u(randomBytes(16)),
						wrappedAccountKey: wrapped(),
					},
		recovery: { wrappedAccountKey: wrapped(), verifyingKey: b64u(randomBytes(32)) },
	};
}

/**
 * Signs a new user up from `browser`; returns the user, the registration that was sent and the
 * key material (built by `makeKeys` for the user id the server chose).
 */
export async function signUp(
	browser: TestBrowser,
	{
		handle = `user${randomBytes(4).toString("hex")}`,
		displayName = "Test User",
		makeKeys = (userId: string) => randomAccountKeys(userId),
		prf = true,
	}: {
		handle?: string;
		displayName?: string;
		makeKeys?: (userId: string) => ReturnType<typeof randomAccountKeys>;
		prf?: boolean;
	} = {},
): Promise<{
	user: { id: string; handle: string };
	registration: RegistrationResponseJSON;
	keys: ReturnType<typeof randomAccountKeys>;
}> {
	const { userId, options } = await browser.api.auth.startSignUp({ handle, displayName });
	const keys = makeKeys(userId);
	const registration = browser.authenticator.create(options as never, browser.relyingParty.origin, {
		prf,
	});
	const user = await browser.api.auth.finishSignUp({
		registration,
		passkeyName: "Test passkey",
		keys,
	});
	return { user, registration, keys };
}

/** Signs in from `browser` with its authenticator's newest passkey. */
export async function signIn(browser: TestBrowser) {
	const options = await browser.api.auth.startSignIn();
	const assertion = browser.authenticator.get(options as never, browser.relyingParty.origin);
	return browser.api.auth.finishSignIn({ assertion });
}
