// Sign-up and sign-in through createCaller with a real software authenticator, on every
// database kind: the happy path, and every refusal the server owes a forged or stale ceremony.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCaller } from "../../../server/root";
import { verifyAuditChain } from "../../../server/services/audit-log";
import { createContext, DEFAULT_RELYING_PARTY } from "../../../server/trpc";
import { randomAccountKeys, signIn, signUp, TestBrowser } from "../../helpers/accounts";
import { DATABASE_KINDS, setupTestDatabase } from "../../helpers/database";

describe.each(DATABASE_KINDS)("accounts on %s", (kind) => {
	const database = setupTestDatabase(kind);
	const browser = () => new TestBrowser(database.current.db);

	describe("sign-up", () => {
		it("creates the user, stores only public and wrapped keys, and signs in on a fresh session", async () => {
			const alice = browser();
			await alice.api.auth.session(); // no session yet
			const { user, keys } = await signUp(alice, { handle: "Alice.Martin", displayName: "Alice" });
			expect(user.handle).toBe("alice.martin");
			await expect(alice.api.auth.session()).resolves.toEqual({
				user: { id: user.id, handle: "alice.martin", displayName: "Alice" },
			});
			const row = await database.current.db.user.findUniqueOrThrow({
				where: { id: user.id },
				include: { credentials: true, recovery: true },
			});
			expect(Buffer.from(row.publicIdentity).toString("base64url")).toBe(keys.publicIdentity);
			expect(Buffer.from(row.credentials[0]?.wrappedAccountKey ?? []).toString("base64url")).toBe(
				keys.unlock.wrappedAccountKey,
			);
			expect(Buffer.from(row.recovery?.verifyingKey ?? []).toString("base64url")).toBe(
				keys.recovery.verifyingKey,
			);
			const events = await database.current.db.auditEvent.findMany({ where: { userId: user.id } });
			expect(events.map((event) => event.kind)).toEqual(["account.created"]);
		});

		it("rotates the session: the pre-authentication token stops working", async () => {
			const bob = browser();
			await bob.api.auth.startSignUp({ handle: "bob-rotation", displayName: "Bob" });
			const preAuthToken = [...bob.cookies.values.values()][0];
			const { userId, options } = await bob.api.auth.startSignUp({
				handle: "bob-rotation",
				displayName: "Bob",
			});
			const registration = bob.authenticator.create(options as never, DEFAULT_RELYING_PARTY.origin);
			await bob.api.auth.finishSignUp({
				registration,
				passkeyName: "Laptop",
				keys: randomAccountKeys(userId),
			});
			const signedInToken = [...bob.cookies.values.values()][0];
			expect(signedInToken).toBeDefined();
			expect(signedInToken).not.toBe(preAuthToken);
			const stale = browser();
			stale.cookies.values.set("coffre_session", preAuthToken as string);
			await expect(stale.api.auth.session()).resolves.toEqual({ user: null });
		});

		it.each([
			["someone else's", (_userId: string) => randomAccountKeys(randomUUID()).publicIdentity],
			[
				"a forged",
				(userId: string) => {
					const bytes = Buffer.from(randomAccountKeys(userId).publicIdentity, "base64url");
					bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
					return bytes.toString("base64url");
				},
			],
		])("refuses %s public identity", async (label, forge) => {
			const eve = browser();
			const handle = label.startsWith("a") ? "eve-forged" : "eve-other";
			await expect(
				signUp(eve, {
					handle,
					makeKeys: (userId) => ({ ...randomAccountKeys(userId), publicIdentity: forge(userId) }),
				}),
			).rejects.toMatchObject({
				code: "BAD_REQUEST",
				message: expect.stringMatching(/public identity/),
			});
		});

		it("refuses a taken handle with a clear conflict", async () => {
			await signUp(browser(), { handle: "carol" });
			await expect(
				browser().api.auth.startSignUp({ handle: "carol", displayName: "Other Carol" }),
			).rejects.toMatchObject({
				code: "CONFLICT",
				message: expect.stringMatching(/taken/),
			});
		});

		it("refuses a registration whose challenge was already used (replay)", async () => {
			const dave = browser();
			const { registration } = await signUp(dave, { handle: "dave" });
			const attacker = browser();
			attacker.cookies.values.clear();
			for (const [name, value] of dave.cookies.values) attacker.cookies.values.set(name, value);
			await expect(
				attacker.api.auth.finishSignUp({
					registration,
					passkeyName: "Replay",
					keys: randomAccountKeys(randomUUID()),
				}),
			).rejects.toMatchObject({ code: "FORBIDDEN" });
		});

		it("refuses a challenge issued to another session", async () => {
			const victim = browser();
			const { userId, options } = await victim.api.auth.startSignUp({
				handle: "erin",
				displayName: "Erin",
			});
			const attacker = browser();
			const registration = attacker.authenticator.create(
				options as never,
				DEFAULT_RELYING_PARTY.origin,
			);
			await expect(
				attacker.api.auth.finishSignUp({
					registration,
					passkeyName: "Stolen",
					keys: randomAccountKeys(userId),
				}),
			).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/not valid/) });
		});

		it("refuses an expired challenge", async () => {
			const frank = browser();
			const { userId, options } = await frank.api.auth.startSignUp({
				handle: "frank",
				displayName: "Frank",
			});
			const registration = frank.authenticator.create(
				options as never,
				DEFAULT_RELYING_PARTY.origin,
			);
			frank.clockOffsetMs = 6 * 60_000;
			await expect(
				frank.api.auth.finishSignUp({
					registration,
					passkeyName: "Late",
					keys: randomAccountKeys(userId),
				}),
			).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/expired/) });
		});

		it.each([
			["another origin", "https://evil.example", undefined],
			["another RP ID", DEFAULT_RELYING_PARTY.origin, "evil.example"],
		])("refuses a registration made for %s", async (_label, origin, rpId) => {
			const grace = browser();
			const { userId, options } = await grace.api.auth.startSignUp({
				handle: `grace${rpId ? "rp" : "or"}`,
				displayName: "Grace",
			});
			const forged = { ...(options as { rp: { id?: string } }), rp: { id: rpId ?? "localhost" } };
			const registration = grace.authenticator.create(forged as never, origin);
			await expect(
				grace.api.auth.finishSignUp({
					registration,
					passkeyName: "Forged",
					keys: randomAccountKeys(userId),
				}),
			).rejects.toMatchObject({
				code: "FORBIDDEN",
				message: expect.stringMatching(/could not be verified/),
			});
		});

		it("requires user verification", async () => {
			const henry = browser();
			henry.authenticator.userVerified = false;
			const { userId, options } = await henry.api.auth.startSignUp({
				handle: "henry",
				displayName: "Henry",
			});
			const registration = henry.authenticator.create(
				options as never,
				DEFAULT_RELYING_PARTY.origin,
			);
			await expect(
				henry.api.auth.finishSignUp({
					registration,
					passkeyName: "No UV",
					keys: randomAccountKeys(userId),
				}),
			).rejects.toMatchObject({ code: "FORBIDDEN" });
		});

		it("refuses a PRF unlock from a passkey without PRF", async () => {
			const ivy = browser();
			await expect(signUp(ivy, { handle: "ivy", prf: false })).rejects.toMatchObject({
				code: "BAD_REQUEST",
				message: expect.stringMatching(/passphrase/),
			});
			await expect(
				signUp(browser(), {
					handle: "ivy2",
					prf: false,
					makeKeys: (userId) => randomAccountKeys(userId, { unlock: "passphrase" }),
				}),
			).resolves.toBeDefined();
		});

		it.each([
			["an oversized wrapped key", { wrappedAccountKey: "A".repeat(400) }],
			["a non-canonical base64url salt", { prfSalt: `${"A".repeat(42)}B` }],
		])("rejects %s with BAD_REQUEST", async (_label, patch) => {
			const judy = browser();
			const { userId, options } = await judy.api.auth.startSignUp({
				handle: `judy${Object.keys(patch)[0]?.length}`,
				displayName: "Judy",
			});
			const registration = judy.authenticator.create(
				options as never,
				DEFAULT_RELYING_PARTY.origin,
			);
			const keys = randomAccountKeys(userId);
			await expect(
				judy.api.auth.finishSignUp({
					registration,
					passkeyName: "Bad",
					keys: { ...keys, unlock: { ...keys.unlock, ...patch } } as never,
				}),
			).rejects.toMatchObject({ code: "BAD_REQUEST" });
		});
	});

	describe("sign-in", () => {
		it("signs in with a discoverable passkey and returns that passkey's wrapped key", async () => {
			const kim = browser();
			const { user, keys } = await signUp(kim, { handle: "kim" });
			await kim.api.auth.signOut();
			await expect(kim.api.auth.session()).resolves.toEqual({ user: null });
			const result = await signIn(kim);
			expect(result.user.id).toBe(user.id);
			expect(result.unlock).toEqual(keys.unlock);
			expect(result.sealedIdentitySecrets).toBe(keys.sealedIdentitySecrets);
			await expect(kim.api.auth.session()).resolves.toMatchObject({ user: { id: user.id } });
			expect(await verifyAuditChain(database.current.db, user.id)).toBe(true);
		});

		it("accepts either of two ceremonies started side by side, and drops the oldest beyond four", async () => {
			const pia = browser();
			await signUp(pia, { handle: "pia" });
			await pia.api.auth.signOut();
			const optionsList = [];
			for (let i = 0; i < 5; i++) optionsList.push(await pia.api.auth.startSignIn());
			const answer = (options: unknown) =>
				pia.authenticator.get(options as never, DEFAULT_RELYING_PARTY.origin);
			await expect(
				pia.api.auth.finishSignIn({ assertion: answer(optionsList[0]) }),
			).rejects.toMatchObject({
				code: "FORBIDDEN",
			});
			await expect(
				pia.api.auth.finishSignIn({ assertion: answer(optionsList[3]) }),
			).resolves.toMatchObject({
				user: { handle: "pia" },
			});
		});

		it("refuses a passkey the server does not know", async () => {
			const stranger = browser();
			const options = await stranger.api.auth.startSignIn();
			stranger.authenticator.create(
				{ challenge: "x", rp: { id: "localhost" }, user: { id: "AAAA" } },
				DEFAULT_RELYING_PARTY.origin,
			);
			const assertion = stranger.authenticator.get(options as never, DEFAULT_RELYING_PARTY.origin);
			await expect(stranger.api.auth.finishSignIn({ assertion })).rejects.toMatchObject({
				code: "UNAUTHORIZED",
				message: expect.stringMatching(/not registered/),
			});
		});

		it("refuses a signature counter that goes backwards (a cloned passkey)", async () => {
			const leo = browser();
			await signUp(leo, { handle: "leo" });
			await signIn(leo); // counter 1
			await signIn(leo); // counter 2
			const options = await leo.api.auth.startSignIn();
			const assertion = leo.authenticator.get(options as never, DEFAULT_RELYING_PARTY.origin, {
				counterStep: -2,
			});
			await expect(leo.api.auth.finishSignIn({ assertion })).rejects.toMatchObject({
				code: "FORBIDDEN",
				message: expect.stringMatching(/cloned/),
			});
		});

		it("refuses an assertion replayed after use", async () => {
			const mia = browser();
			await signUp(mia, { handle: "mia" });
			const options = await mia.api.auth.startSignIn();
			const assertion = mia.authenticator.get(options as never, DEFAULT_RELYING_PARTY.origin);
			await mia.api.auth.finishSignIn({ assertion });
			await expect(mia.api.auth.finishSignIn({ assertion })).rejects.toMatchObject({
				code: "FORBIDDEN",
			});
		});

		it("rate-limits repeated sign-in attempts from one client", async () => {
			const noisy = browser();
			const attempts = Array.from({ length: 21 }, () =>
				noisy.api.auth.startSignIn().then(
					() => "ok",
					(e: { code: string }) => e.code,
				),
			);
			const results = await Promise.all(attempts);
			expect(results.filter((r) => r === "TOO_MANY_REQUESTS").length).toBeGreaterThan(0);
		});

		it("follows the sign-in limit the server is configured with", async () => {
			const api = createCaller(
				createContext({
					db: database.current.db,
					clientKey: `office-${randomUUID()}`,
					signInLimit: { limit: 3, windowMs: 5 * 60_000 },
				}),
			);
			const results: string[] = [];
			for (let i = 0; i < 4; i++) {
				results.push(
					await api.auth.startSignIn().then(
						() => "ok",
						(e: { code: string }) => e.code,
					),
				);
			}
			expect(results).toEqual(["ok", "ok", "ok", "TOO_MANY_REQUESTS"]);
		});
	});

	describe("sessions", () => {
		it("refuses protected procedures without a session", async () => {
			await expect(browser().api.auth.signOut()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
		});

		it("expires a session after a day without requests", async () => {
			const nina = browser();
			await signUp(nina, { handle: "nina" });
			nina.clockOffsetMs = 25 * 60 * 60_000;
			await expect(nina.api.auth.session()).resolves.toEqual({ user: null });
		});

		it("signs out everywhere: other devices lose their sessions", async () => {
			const oscar = browser();
			await signUp(oscar, { handle: "oscar" });
			const otherDevice = browser();
			otherDevice.authenticator.credentials.push(...oscar.authenticator.credentials);
			await signIn(otherDevice);
			await expect(otherDevice.api.auth.session()).resolves.toMatchObject({
				user: { handle: "oscar" },
			});
			await oscar.api.auth.signOutEverywhere();
			await expect(otherDevice.api.auth.session()).resolves.toEqual({ user: null });
			await expect(oscar.api.auth.session()).resolves.toEqual({ user: null });
		});
	});
});
