// What a browser sends about a user's keys: only public keys, wrapped keys and salts, each with
// a size bound. The server stores them as given; it cannot open any of them.
import { z } from "zod";
import { zBytes, zWrappedKey } from "../../validation";

export const ZPrfUnlock = z.object({
	kind: z.literal("prf"),
	/** The PRF input this passkey is evaluated with. */
	prfSalt: zBytes({ min: 32, max: 32 }),
	wrappedAccountKey: zWrappedKey(),
});

export const ZPassphraseUnlock = z.object({
	kind: z.literal("passphrase"),
	/** Argon2id salt; the parameters are pinned in the client. */
	salt: zBytes({ min: 16, max: 64 }),
	wrappedAccountKey: zWrappedKey(),
});

export const ZUnlock = z.discriminatedUnion("kind", [ZPrfUnlock, ZPassphraseUnlock]);
export type TUnlock = z.infer<typeof ZUnlock>;

export const ZRecoveryEnrolment = z.object({
	wrappedAccountKey: zWrappedKey(),
	/** Ed25519 public key derived from the RecoveryKey: proves a recoverer holds the kit. */
	verifyingKey: zBytes({ min: 32, max: 32 }),
});

export const ZNewAccountKeys = z.object({
	publicIdentity: zBytes({ min: 64, max: 1024 }),
	sealedIdentitySecrets: zBytes({ min: 64, max: 1024 }),
	unlock: ZUnlock,
	recovery: ZRecoveryEnrolment,
});
export type TNewAccountKeys = z.infer<typeof ZNewAccountKeys>;

/** How the browser unlocks after signing in with a given passkey, as sent back to it. */
export const ZUnlockOutput = z.discriminatedUnion("kind", [
	z.object({ kind: z.literal("prf"), prfSalt: z.string(), wrappedAccountKey: z.string() }),
	z.object({ kind: z.literal("passphrase"), salt: z.string(), wrappedAccountKey: z.string() }),
]);

export const ZSignedInUser = z.object({
	id: z.uuid(),
	handle: z.string(),
	displayName: z.string(),
});
