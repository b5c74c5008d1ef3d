// Sign-up in two steps. `startSignUp` reserves nothing but a challenge bound to the caller's
// pre-authentication session, carrying the chosen handle and a new user id. `finishSignUp`
// verifies the passkey, stores the user with only public keys, wrapped keys and salts, and
// signs the caller in on a fresh session.
import { randomUUID } from "node:crypto";
import type {
	PublicKeyCredentialCreationOptionsJSON,
	RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { verifyPublicIdentity } from "../../../crypto";
import { challengeOfResponse, consumeChallenge, issueChallenge } from "../../auth/challenges";
import { ensureSession, rotateIntoUserSession } from "../../auth/sessions";
import { registrationOptions, verifyRegistration } from "../../auth/webauthn";
import { AppError } from "../../errors";
import type { Context } from "../../trpc";
import { appendAuditEvent } from "../audit-log";
import { consumeRateLimit } from "../rate-limit";
import type { TNewAccountKeys } from "./key-material";
import { storePasskey } from "./passkeys";

export async function startSignUp(
	ctx: Context,
	{ handle, displayName }: { handle: string; displayName: string },
): Promise<{ userId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
	const now = ctx.now();
	await consumeRateLimit(ctx.db, `sign-up:${ctx.clientKey}`, ctx.signInLimit, now);
	if (await ctx.db.user.findUnique({ where: { handle }, select: { id: true } })) {
		throw new AppError("CONFLICT", `The handle “${handle}” is taken. Please choose another.`);
	}
	const session = await ensureSession(ctx.db, ctx.cookies, ctx.sessionSettings, now);
	if (session.userId)
		throw new AppError(
			"CONFLICT",
			"You are already signed in. Sign out to create another account.",
		);
	const userId = randomUUID();
	const challenge = await issueChallenge(ctx.db, {
		sessionId: session.id,
		purpose: "sign-up",
		now,
		pending: { pendingUserId: userId, handle, displayName },
	});
	const options = await registrationOptions(ctx.relyingParty, {
		challenge,
		userId,
		handle,
		displayName,
	});
	return { userId, options };
}

/** The new user's PublicIdentity must be validly self-signed and name this user. */
function checkPublicIdentity(publicIdentity: Uint8Array, userId: string): void {
	let identityUserId: string;
	try {
		identityUserId = verifyPublicIdentity(publicIdentity).userId;
	} catch (error) {
		throw new AppError(
			"BAD_INPUT",
			"The public identity is malformed or not validly self-signed.",
			{ cause: error },
		);
	}
	if (identityUserId !== userId)
		throw new AppError("BAD_INPUT", "The public identity names another user.");
}

export async function finishSignUp(
	ctx: Context,
	{
		registration,
		passkeyName,
		keys,
	}: { registration: RegistrationResponseJSON; passkeyName: string; keys: TNewAccountKeys },
): Promise<{ id: string; handle: string; displayName: string }> {
	const now = ctx.now();
	const session = await ensureSession(ctx.db, ctx.cookies, ctx.sessionSettings, now);
	const challenge = challengeOfResponse(registration.response.clientDataJSON);
	const { pending } = await consumeChallenge(ctx.db, {
		sessionId: session.id,
		purpose: "sign-up",
		challenge,
		now,
	});
	if (!pending)
		throw new AppError(
			"FORBIDDEN",
			"This sign-up request is not valid any more. Please start again.",
		);
	checkPublicIdentity(keys.publicIdentity, pending.pendingUserId);
	const passkey = await verifyRegistration(ctx.relyingParty, registration, challenge);
	const prfEnabled =
		(registration.clientExtensionResults as { prf?: { enabled?: boolean } }).prf?.enabled === true;
	if (keys.unlock.kind === "prf" && !prfEnabled) {
		throw new AppError(
			"BAD_INPUT",
			"This passkey does not support the PRF extension; choose a vault passphrase instead.",
		);
	}
	const user = await ctx.db
		.$transaction(async (tx) => {
			const created = await tx.user.create({
				data: {
					id: pending.pendingUserId,
					handle: pending.handle,
					displayName: pending.displayName,
					publicIdentity: keys.publicIdentity,
					sealedIdentitySecrets: keys.sealedIdentitySecrets,
					createdAt: now,
				},
			});
			await storePasskey(tx, {
				userId: created.id,
				passkey,
				name: passkeyName,
				unlock: keys.unlock,
				now,
				usedNow: true,
			});
			await tx.recoveryKit.create({
				data: {
					userId: created.id,
					wrappedAccountKey: keys.recovery.wrappedAccountKey,
					verifyingKey: keys.recovery.verifyingKey,
					createdAt: now,
				},
			});
			await appendAuditEvent(tx, {
				userId: created.id,
				kind: "account.created",
				details: { passkey: passkeyName, unlock: keys.unlock.kind },
				now,
			});
			return created;
		})
		.catch((error: unknown) => {
			if ((error as { code?: string }).code === "P2002") {
				throw new AppError(
					"CONFLICT",
					"That handle or passkey is already registered. Please start again.",
				);
			}
			throw error;
		});
	await rotateIntoUserSession(ctx.db, ctx.cookies, ctx.sessionSettings, now, session.id, user.id);
	return { id: user.id, handle: user.handle, displayName: user.displayName };
}
