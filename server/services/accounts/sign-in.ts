// Discoverable-credential sign-in: no handle asked. The browser evaluates PRF in the same
// ceremony; on success the server returns the wrapped keys of that passkey so the browser can
// unlock, and rotates the caller onto a fresh signed-in session.
import type {
	AuthenticationResponseJSON,
	PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { challengeOfResponse, consumeChallenge, issueChallenge } from "../../auth/challenges";
import { ensureSession, rotateIntoUserSession } from "../../auth/sessions";
import { authenticationOptions, verifyAuthentication } from "../../auth/webauthn";
import { AppError } from "../../errors";
import type { Context } from "../../trpc";
import { toBase64Url } from "../../validation";
import { appendAuditEvent } from "../audit-log";
import { consumeRateLimit } from "../rate-limit";

export async function startSignIn(ctx: Context): Promise<PublicKeyCredentialRequestOptionsJSON> {
	const now = ctx.now();
	await consumeRateLimit(ctx.db, `sign-in:${ctx.clientKey}`, ctx.signInLimit, now);
	const session = await ensureSession(ctx.db, ctx.cookies, ctx.sessionSettings, now);
	const challenge = await issueChallenge(ctx.db, {
		sessionId: session.id,
		purpose: "sign-in",
		now,
	});
	return authenticationOptions(ctx.relyingParty, { challenge });
}

export type SignInUnlock =
	| { kind: "prf"; prfSalt: string; wrappedAccountKey: string }
	| { kind: "passphrase"; salt: string; wrappedAccountKey: string };

export interface SignInResult {
	user: { id: string; handle: string; displayName: string };
	credentialId: string;
	unlock: SignInUnlock;
	sealedIdentitySecrets: string;
	publicIdentity: string;
}

/** How the browser unlocks after signing in with this passkey. */
export function unlockFor(
	credential: { prfSalt: Uint8Array | null; wrappedAccountKey: Uint8Array | null },
	passphrase: { salt: Uint8Array; wrappedAccountKey: Uint8Array } | null,
): SignInUnlock {
	if (credential.prfSalt && credential.wrappedAccountKey) {
		return {
			kind: "prf",
			prfSalt: toBase64Url(credential.prfSalt),
			wrappedAccountKey: toBase64Url(credential.wrappedAccountKey),
		};
	}
	if (passphrase) {
		return {
			kind: "passphrase",
			salt: toBase64Url(passphrase.salt),
			wrappedAccountKey: toBase64Url(passphrase.wrappedAccountKey),
		};
	}
	throw new AppError(
		"CONFLICT",
		"This passkey cannot unlock the vault. Use another passkey or your recovery kit.",
	);
}

export async function finishSignIn(
	ctx: Context,
	assertion: AuthenticationResponseJSON,
): Promise<SignInResult> {
	const now = ctx.now();
	const session = await ensureSession(ctx.db, ctx.cookies, ctx.sessionSettings, now);
	const challenge = challengeOfResponse(assertion.response.clientDataJSON);
	await consumeChallenge(ctx.db, { sessionId: session.id, purpose: "sign-in", challenge, now });
	const credential = await ctx.db.credential.findUnique({
		where: { id: assertion.id },
		include: { user: { include: { passphrase: true } } },
	});
	if (!credential) {
		await consumeRateLimit(ctx.db, `sign-in-unknown:${ctx.clientKey}`, ctx.signInLimit, now);
		throw new AppError(
			"UNAUTHENTICATED",
			"This passkey is not registered with Coffre. It may have been removed from your account.",
		);
	}
	const { newCounter, backedUp } = await verifyAuthentication(
		ctx.relyingParty,
		assertion,
		challenge,
		{
			id: credential.id,
			publicKey: credential.publicKey,
			counter: Number(credential.counter),
			transports: credential.transports,
		},
	);
	const unlock = unlockFor(credential, credential.user.passphrase);
	await ctx.db.$transaction(async (tx) => {
		await tx.credential.update({
			where: { id: credential.id },
			data: { counter: newCounter, backedUp, lastUsedAt: now },
		});
		await appendAuditEvent(tx, {
			userId: credential.userId,
			kind: "session.signed-in",
			details: { passkey: credential.name },
			now,
		});
	});
	await rotateIntoUserSession(
		ctx.db,
		ctx.cookies,
		ctx.sessionSettings,
		now,
		session.id,
		credential.userId,
	);
	const { user } = credential;
	return {
		user: { id: user.id, handle: user.handle, displayName: user.displayName },
		credentialId: credential.id,
		unlock,
		sealedIdentitySecrets: toBase64Url(user.sealedIdentitySecrets),
		publicIdentity: toBase64Url(user.publicIdentity),
	};
}
