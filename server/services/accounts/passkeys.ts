// A user's passkeys: list, add another (with its own PRF wrap of the AccountKey), rename,
// remove. The last passkey cannot be removed: a user must always keep a way in besides the
// recovery kit.
import type {
	PublicKeyCredentialCreationOptionsJSON,
	RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { challengeOfResponse, consumeChallenge, issueChallenge } from "../../auth/challenges";
import {
	registrationOptions,
	type VerifiedRegistration,
	verifyRegistration,
} from "../../auth/webauthn";
import type { DatabaseClient } from "../../db";
import { AppError } from "../../errors";
import type { Context } from "../../trpc";
import { appendAuditEvent } from "../audit-log";
import type { TUnlock } from "./key-material";

type UserContext = Context & { userId: string; session: { id: string } };

/**
 * Stores a verified passkey with its way to unlock: its own PRF wrap of the AccountKey, or the
 * account's (re)set vault passphrase wrap.
 */
export async function storePasskey(
	tx: DatabaseClient,
	{
		userId,
		passkey,
		name,
		unlock,
		now,
		usedNow = false,
	}: {
		userId: string;
		passkey: VerifiedRegistration;
		name: string;
		unlock?: TUnlock;
		now: Date;
		usedNow?: boolean;
	},
) {
	const credential = await tx.credential.create({
		data: {
			id: passkey.credentialId,
			userId,
			publicKey: passkey.publicKey,
			counter: passkey.counter,
			transports: passkey.transports,
			backedUp: passkey.backedUp,
			name,
			prfSalt: unlock?.kind === "prf" ? unlock.prfSalt : null,
			wrappedAccountKey: unlock?.kind === "prf" ? unlock.wrappedAccountKey : null,
			createdAt: now,
			lastUsedAt: usedNow ? now : null,
		},
	});
	if (unlock?.kind === "passphrase") {
		await tx.passphraseWrap.upsert({
			where: { userId },
			create: {
				userId,
				salt: unlock.salt,
				wrappedAccountKey: unlock.wrappedAccountKey,
				createdAt: now,
			},
			update: { salt: unlock.salt, wrappedAccountKey: unlock.wrappedAccountKey },
		});
	}
	return credential;
}

export async function listPasskeys(ctx: UserContext) {
	const credentials = await ctx.db.credential.findMany({
		where: { userId: ctx.userId },
		orderBy: { createdAt: "asc" },
	});
	return credentials.map((credential) => ({
		id: credential.id,
		name: credential.name,
		createdAt: credential.createdAt,
		lastUsedAt: credential.lastUsedAt,
		backedUp: credential.backedUp,
		unlocksWith: credential.wrappedAccountKey ? ("prf" as const) : ("passphrase" as const),
	}));
}

export async function startAddPasskey(
	ctx: UserContext,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
	const now = ctx.now();
	const user = await ctx.db.user.findUniqueOrThrow({
		where: { id: ctx.userId },
		include: { credentials: true },
	});
	const challenge = await issueChallenge(ctx.db, {
		sessionId: ctx.session.id,
		purpose: "add-passkey",
		now,
	});
	return registrationOptions(ctx.relyingParty, {
		challenge,
		userId: user.id,
		handle: user.handle,
		displayName: user.displayName,
		excludeCredentialIds: user.credentials.map((credential) => credential.id),
	});
}

/**
 * Checks how a new passkey will unlock the vault: with PRF, its own wrap is required; without,
 * the account must already have (or now get) a passphrase wrap.
 */
export async function checkNewPasskeyUnlock(
	ctx: Context,
	userId: string,
	registration: RegistrationResponseJSON,
	unlock: TUnlock | undefined,
): Promise<void> {
	const prfEnabled =
		(registration.clientExtensionResults as { prf?: { enabled?: boolean } }).prf?.enabled === true;
	if (unlock?.kind === "prf" && !prfEnabled) {
		throw new AppError(
			"BAD_INPUT",
			"This passkey does not support the PRF extension; choose a vault passphrase instead.",
		);
	}
	if (prfEnabled && unlock?.kind !== "prf") {
		throw new AppError("BAD_INPUT", "This passkey supports PRF: send its wrap of the account key.");
	}
	if (!unlock) {
		const passphrase = await ctx.db.passphraseWrap.findUnique({ where: { userId } });
		if (!passphrase)
			throw new AppError(
				"BAD_INPUT",
				"This passkey cannot unlock the vault on its own: set a vault passphrase.",
			);
	}
}

export async function finishAddPasskey(
	ctx: UserContext,
	{
		registration,
		name,
		unlock,
	}: { registration: RegistrationResponseJSON; name: string; unlock?: TUnlock },
) {
	const now = ctx.now();
	const challenge = challengeOfResponse(registration.response.clientDataJSON);
	await consumeChallenge(ctx.db, {
		sessionId: ctx.session.id,
		purpose: "add-passkey",
		challenge,
		now,
	});
	const passkey = await verifyRegistration(ctx.relyingParty, registration, challenge);
	await checkNewPasskeyUnlock(ctx, ctx.userId, registration, unlock);
	await ctx.db.$transaction(async (tx) => {
		await storePasskey(tx, { userId: ctx.userId, passkey, name, unlock, now });
		await appendAuditEvent(tx, {
			userId: ctx.userId,
			kind: "passkey.added",
			details: { passkey: name },
			now,
		});
	});
	return { id: passkey.credentialId };
}

export async function renamePasskey(
	ctx: UserContext,
	{ id, name }: { id: string; name: string },
): Promise<void> {
	const now = ctx.now();
	await ctx.db.$transaction(async (tx) => {
		const { count } = await tx.credential.updateMany({
			where: { id, userId: ctx.userId },
			data: { name },
		});
		if (count !== 1) throw new AppError("NOT_FOUND", "No such passkey on your account.");
		await appendAuditEvent(tx, {
			userId: ctx.userId,
			kind: "passkey.renamed",
			details: { passkey: name },
			now,
		});
	});
}

export async function removePasskey(ctx: UserContext, { id }: { id: string }): Promise<void> {
	const now = ctx.now();
	await ctx.db.$transaction(async (tx) => {
		const credentials = await tx.credential.findMany({
			where: { userId: ctx.userId },
			select: { id: true, name: true },
		});
		const target = credentials.find((credential) => credential.id === id);
		if (!target) throw new AppError("NOT_FOUND", "No such passkey on your account.");
		if (credentials.length === 1) {
			throw new AppError(
				"CONFLICT",
				"This is your only passkey. Add another passkey before removing this one.",
			);
		}
		await tx.credential.delete({ where: { id } });
		await appendAuditEvent(tx, {
			userId: ctx.userId,
			kind: "passkey.removed",
			details: { passkey: target.name },
			now,
		});
	});
}
