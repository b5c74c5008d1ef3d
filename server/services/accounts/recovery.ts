// Account recovery with the printable kit. The browser derives the RecoveryKey from the kit,
// proves it holds it by signing the ceremony's challenge (context "recovery-proof") with the
// Ed25519 key derived from it (crypto/kdf deriveRecoveryProofKey),
// unwraps the AccountKey (the server hands out only the wrap) and wraps it under a new passkey.
import type {
	PublicKeyCredentialCreationOptionsJSON,
	RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { signingPublicKeyFromBytes, verifySignature } from "../../../crypto";
import { challengeOfResponse, consumeChallenge, issueChallenge } from "../../auth/challenges";
import { ensureSession, rotateIntoUserSession } from "../../auth/sessions";
import { registrationOptions, verifyRegistration } from "../../auth/webauthn";
import { AppError } from "../../errors";
import type { Context } from "../../trpc";
import { toBase64Url } from "../../validation";
import { appendAuditEvent } from "../audit-log";
import { consumeRateLimit, RECOVERY_LIMIT } from "../rate-limit";
import type { TUnlock } from "./key-material";
import { checkNewPasskeyUnlock, storePasskey } from "./passkeys";
import { type SignInResult, unlockFor } from "./sign-in";

/** Domain separation for the recovery proof: the signed message is this label ‖ challenge. */
export const RECOVERY_PROOF_LABEL = "coffre/recovery-proof/v1";

export function recoveryProofMessage(challenge: string): Uint8Array {
	return new Uint8Array(
		Buffer.concat([Buffer.from(RECOVERY_PROOF_LABEL), Buffer.from(challenge, "base64url")]),
	);
}

const UNKNOWN = "No account with that handle has a recovery kit.";

export async function startRecovery(
	ctx: Context,
	{ handle }: { handle: string },
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; wrappedAccountKey: string }> {
	const now = ctx.now();
	await consumeRateLimit(ctx.db, `recovery:${ctx.clientKey}`, RECOVERY_LIMIT, now);
	await consumeRateLimit(ctx.db, `recovery-handle:${handle}`, RECOVERY_LIMIT, now);
	const user = await ctx.db.user.findUnique({
		where: { handle },
		include: { recovery: true, credentials: true },
	});
	if (!user?.recovery) throw new AppError("NOT_FOUND", UNKNOWN);
	const session = await ensureSession(ctx.db, ctx.cookies, ctx.sessionSettings, now);
	const challenge = await issueChallenge(ctx.db, {
		sessionId: session.id,
		purpose: "recovery",
		now,
		pending: { pendingUserId: user.id, handle: user.handle, displayName: user.displayName },
	});
	const options = await registrationOptions(ctx.relyingParty, {
		challenge,
		userId: user.id,
		handle: user.handle,
		displayName: user.displayName,
		excludeCredentialIds: user.credentials.map((credential) => credential.id),
	});
	return { options, wrappedAccountKey: toBase64Url(user.recovery.wrappedAccountKey) };
}

export async function finishRecovery(
	ctx: Context,
	{
		registration,
		proof,
		passkeyName,
		unlock,
	}: {
		registration: RegistrationResponseJSON;
		proof: Uint8Array;
		passkeyName: string;
		unlock?: TUnlock;
	},
): Promise<SignInResult> {
	const now = ctx.now();
	const session = await ensureSession(ctx.db, ctx.cookies, ctx.sessionSettings, now);
	const challenge = challengeOfResponse(registration.response.clientDataJSON);
	const { pending } = await consumeChallenge(ctx.db, {
		sessionId: session.id,
		purpose: "recovery",
		challenge,
		now,
	});
	if (!pending)
		throw new AppError(
			"FORBIDDEN",
			"This recovery request is not valid any more. Please start again.",
		);
	const user = await ctx.db.user.findUnique({
		where: { id: pending.pendingUserId },
		include: { recovery: true, passphrase: true },
	});
	if (!user?.recovery) throw new AppError("NOT_FOUND", UNKNOWN);
	let proven = false;
	try {
		const verifyingKey = signingPublicKeyFromBytes(new Uint8Array(user.recovery.verifyingKey));
		proven = verifySignature(
			verifyingKey,
			"recovery-proof",
			Buffer.from(challenge, "base64url"),
			proof,
		);
	} catch {
		proven = false;
	}
	if (!proven)
		throw new AppError(
			"FORBIDDEN",
			"The recovery kit does not match this account. Check the words and try again.",
		);
	const passkey = await verifyRegistration(ctx.relyingParty, registration, challenge);
	await checkNewPasskeyUnlock(ctx, user.id, registration, unlock);
	const credential = await ctx.db.$transaction(async (tx) => {
		const created = await storePasskey(tx, {
			userId: user.id,
			passkey,
			name: passkeyName,
			unlock,
			now,
			usedNow: true,
		});
		await appendAuditEvent(tx, {
			userId: user.id,
			kind: "recovery.used",
			details: { passkey: passkeyName },
			now,
		});
		return created;
	});
	await rotateIntoUserSession(ctx.db, ctx.cookies, ctx.sessionSettings, now, session.id, user.id);
	const passphrase =
		unlock?.kind === "passphrase"
			? { salt: unlock.salt, wrappedAccountKey: unlock.wrappedAccountKey }
			: user.passphrase;
	return {
		user: { id: user.id, handle: user.handle, displayName: user.displayName },
		credentialId: credential.id,
		unlock: unlockFor(credential, passphrase),
		sealedIdentitySecrets: toBase64Url(user.sealedIdentitySecrets),
		publicIdentity: toBase64Url(user.publicIdentity),
	};
}
