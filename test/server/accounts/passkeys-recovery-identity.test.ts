// Managing passkeys, recovering with the kit, finding identities and reading the audit log —
// through createCaller with software authenticators, on every database kind.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
	deriveRecoveryProofKey,
	fromBase64url,
	generateKey,
	sign,
	signingPublicKeyOf,
} from "../../../crypto";
import { DEFAULT_RELYING_PARTY } from "../../../server/trpc";
import { b64u, randomAccountKeys, signIn, signUp, TestBrowser } from "../../helpers/accounts";
import { DATABASE_KINDS, setupTestDatabase } from "../../helpers/database";

const origin = DEFAULT_RELYING_PARTY.origin;

function recoveryKit() {
	const proofKey = deriveRecoveryProofKey(generateKey("RecoveryKey"));
	return {
		prove: (challenge: string) => b64u(sign(proofKey, "recovery-proof", fromBase64url(challenge))),
		verifyingKey: b64u(signingPublicKeyOf(proofKey)),
	};
}

function withKit(userId: string, kit: ReturnType<typeof recoveryKit>) {
	const keys = randomAccountKeys(userId);
	return { ...keys, recovery: { ...keys.recovery, verifyingKey: kit.verifyingKey } };
}

describe.each(DATABASE_KINDS)("account management on %s", (kind) => {
	const database = setupTestDatabase(kind);
	const browser = () => new TestBrowser(database.current.db);

	describe("passkeys", () => {
		it("adds a second passkey with its own wrap, which then signs in and unlocks", async () => {
			const ana = browser();
			await signUp(ana, { handle: "ana" });
			const options = await ana.api.passkeys.startAdd();
			const registration = ana.authenticator.create(options as never, origin);
			const unlock = {
				kind: "prf" as const,
				prfSalt: b64u(randomBytes(32)),
				wrappedAccountKey: b64u(randomBytes(105)),
			};
			await ana.api.passkeys.finishAdd({ registration, name: "Phone", unlock });
			const list = await ana.api.passkeys.list();
			expect(list.map((passkey) => passkey.name)).toEqual(["Test passkey", "Phone"]);
			await ana.api.auth.signOut();
			const result = await signIn(ana); // the newest credential: the phone
			expect(result.unlock).toEqual(unlock);
		});

		it("renames and removes passkeys, but never the last one", async () => {
			const ben = browser();
			await signUp(ben, { handle: "ben" });
			const [first] = await ben.api.passkeys.list();
			await ben.api.passkeys.rename({ id: first?.id as string, name: "Work laptop" });
			expect((await ben.api.passkeys.list())[0]?.name).toBe("Work laptop");
			await expect(ben.api.passkeys.remove({ id: first?.id as string })).rejects.toMatchObject({
				code: "CONFLICT",
				message: expect.stringMatching(/only passkey/),
			});
			const options = await ben.api.passkeys.startAdd();
			const registration = ben.authenticator.create(options as never, origin);
			await ben.api.passkeys.finishAdd({
				registration,
				name: "Spare",
				unlock: {
					kind: "prf",
					prfSalt: b64u(randomBytes(32)),
					wrappedAccountKey: b64u(randomBytes(105)),
				},
			});
			await ben.api.passkeys.remove({ id: first?.id as string });
			expect((await ben.api.passkeys.list()).map((p) => p.name)).toEqual(["Spare"]);
			const events = await ben.api.audit.list({});
			expect(events.chainIntact).toBe(true);
			expect(events.events.map((e) => e.kind)).toEqual([
				"passkey.removed",
				"passkey.added",
				"passkey.renamed",
				"account.created",
			]);
		});

		it("refuses to touch another user's passkey", async () => {
			const cleo = browser();
			await signUp(cleo, { handle: "cleo" });
			const [cleoPasskey] = await cleo.api.passkeys.list();
			const dan = browser();
			await signUp(dan, { handle: "dan" });
			await expect(
				dan.api.passkeys.rename({ id: cleoPasskey?.id as string, name: "Mine now" }),
			).rejects.toMatchObject({
				code: "NOT_FOUND",
			});
			await expect(
				dan.api.passkeys.remove({ id: cleoPasskey?.id as string }),
			).rejects.toMatchObject({ code: "NOT_FOUND" });
		});
	});

	describe("recovery", () => {
		it("recovers with the kit onto a new passkey on a fresh device", async () => {
			const kit = recoveryKit();
			const original = browser();
			const { user, keys } = await signUp(original, {
				handle: "eva",
				makeKeys: (userId) => withKit(userId, kit),
			});
			const fresh = browser();
			const { options, wrappedAccountKey } = await fresh.api.recovery.start({ handle: "eva" });
			expect(wrappedAccountKey).toBe(keys.recovery.wrappedAccountKey);
			const registration = fresh.authenticator.create(options as never, origin);
			const proof = kit.prove((options as { challenge: string }).challenge);
			const unlock = {
				kind: "prf" as const,
				prfSalt: b64u(randomBytes(32)),
				wrappedAccountKey: b64u(randomBytes(105)),
			};
			const result = await fresh.api.recovery.finish({
				registration,
				proof,
				passkeyName: "New phone",
				unlock,
			});
			expect(result.user.id).toBe(user.id);
			expect(result.unlock).toEqual(unlock);
			await expect(fresh.api.auth.session()).resolves.toMatchObject({ user: { id: user.id } });
			const events = await fresh.api.audit.list({});
			expect(events.events[0]?.kind).toBe("recovery.used");
		});

		it("refuses a proof made with the wrong kit", async () => {
			const kit = recoveryKit();
			await signUp(browser(), { handle: "finn", makeKeys: (userId) => withKit(userId, kit) });
			const thief = browser();
			const { options } = await thief.api.recovery.start({ handle: "finn" });
			const registration = thief.authenticator.create(options as never, origin);
			const wrongKit = recoveryKit();
			const proof = wrongKit.prove((options as { challenge: string }).challenge);
			await expect(
				thief.api.recovery.finish({
					registration,
					proof,
					passkeyName: "Thief",
					unlock: {
						kind: "prf",
						prfSalt: b64u(randomBytes(32)),
						wrappedAccountKey: b64u(randomBytes(105)),
					},
				}),
			).rejects.toMatchObject({
				code: "FORBIDDEN",
				message: expect.stringMatching(/does not match/),
			});
			expect(await database.current.db.credential.count({ where: { name: "Thief" } })).toBe(0);
		});

		it("rate-limits recovery attempts on one handle", async () => {
			await signUp(browser(), { handle: "gus" });
			const results: string[] = [];
			for (let attempt = 0; attempt < 7; attempt++) {
				results.push(
					await browser()
						.api.recovery.start({ handle: "gus" })
						.then(
							() => "ok",
							(e: { code: string }) => e.code,
						),
				);
			}
			expect(results.slice(0, 5)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
			expect(results.slice(5)).toEqual(["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
		});
	});

	describe("identities", () => {
		it("finds a person's public identity by handle, for signed-in users only", async () => {
			const { keys } = await signUp(browser(), { handle: "hana", displayName: "Hana" });
			const searcher = browser();
			await expect(searcher.api.identity.byHandle({ handle: "hana" })).rejects.toMatchObject({
				code: "UNAUTHORIZED",
			});
			await signUp(searcher, { handle: "ian" });
			await expect(searcher.api.identity.byHandle({ handle: "HANA" })).resolves.toMatchObject({
				handle: "hana",
				displayName: "Hana",
				publicIdentity: keys.publicIdentity,
			});
			await expect(searcher.api.identity.byHandle({ handle: "nobody-here" })).rejects.toMatchObject(
				{ code: "NOT_FOUND" },
			);
		});
	});

	describe("audit log", () => {
		it("detects an edited event", async () => {
			const jo = browser();
			const { user } = await signUp(jo, { handle: "joan" });
			await signIn(jo);
			expect((await jo.api.audit.list({})).chainIntact).toBe(true);
			await database.current.db.auditEvent.updateMany({
				where: { userId: user.id, seq: 1 },
				data: { kind: "session.signed-in" },
			});
			expect((await jo.api.audit.list({})).chainIntact).toBe(false);
		});
	});
});
