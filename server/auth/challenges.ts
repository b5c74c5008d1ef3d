// WebAuthn and recovery challenges: 32 random bytes, bound to one session and one purpose,
// valid for five minutes, consumed exactly once (a replay, another session's challenge, an
// expired one or one for another ceremony is refused).
import { randomBytes } from "node:crypto";
import type { Database } from "../db";
import { AppError } from "../errors";

export const CHALLENGE_TTL_MS = 5 * 60_000;
/**
 * Outstanding challenges one session may hold (a sign-in page runs an autofill ceremony and a
 * button ceremony side by side); the oldest beyond this are dropped.
 */
export const MAX_OUTSTANDING_CHALLENGES = 4;

export type ChallengePurpose = "sign-up" | "sign-in" | "add-passkey" | "recovery";

export interface PendingSignUp {
	pendingUserId: string;
	handle: string;
	displayName: string;
}

/** Issues a challenge for `purpose`; drops the session's expired ones and the oldest beyond the cap. */
export async function issueChallenge(
	db: Database,
	{
		sessionId,
		purpose,
		now,
		pending,
	}: { sessionId: string; purpose: ChallengePurpose; now: Date; pending?: PendingSignUp },
): Promise<string> {
	const challenge = randomBytes(32).toString("base64url");
	await db.webAuthnChallenge.deleteMany({ where: { sessionId, expiresAt: { lte: now } } });
	const outstanding = await db.webAuthnChallenge.findMany({
		where: { sessionId },
		orderBy: { createdAt: "desc" },
		skip: MAX_OUTSTANDING_CHALLENGES - 1,
		select: { id: true },
	});
	if (outstanding.length > 0) {
		await db.webAuthnChallenge.deleteMany({
			where: { id: { in: outstanding.map((row) => row.id) } },
		});
	}
	await db.webAuthnChallenge.create({
		data: {
			sessionId,
			purpose,
			challenge,
			pendingUserId: pending?.pendingUserId,
			handle: pending?.handle,
			displayName: pending?.displayName,
			createdAt: now,
			expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
		},
	});
	return challenge;
}

/** Reads the challenge a WebAuthn response signed, from its clientDataJSON. */
export function challengeOfResponse(clientDataJSON: string): string {
	try {
		const clientData = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as {
			challenge?: unknown;
		};
		if (
			typeof clientData.challenge === "string" &&
			/^[A-Za-z0-9_-]{43}$/.test(clientData.challenge)
		) {
			return clientData.challenge;
		}
	} catch {
		// fall through to the refusal below
	}
	throw new AppError("BAD_INPUT", "The passkey response is malformed.");
}

/**
 * Consumes `challenge` for this session and purpose. Throws a clear error when it is unknown,
 * already used, from another session or ceremony, or expired.
 */
export async function consumeChallenge(
	db: Database,
	{
		sessionId,
		purpose,
		challenge,
		now,
	}: { sessionId: string; purpose: ChallengePurpose; challenge: string; now: Date },
): Promise<{ pending: PendingSignUp | null }> {
	const row = await db.webAuthnChallenge.findUnique({ where: { challenge } });
	if (!row || row.sessionId !== sessionId || row.purpose !== purpose) {
		throw new AppError(
			"FORBIDDEN",
			"This passkey request is not valid any more. Please try again.",
		);
	}
	const { count } = await db.webAuthnChallenge.deleteMany({ where: { id: row.id } });
	if (count !== 1)
		throw new AppError("FORBIDDEN", "This passkey request was already used. Please try again.");
	if (row.expiresAt <= now)
		throw new AppError("FORBIDDEN", "This passkey request expired. Please try again.");
	const pending =
		row.pendingUserId && row.handle && row.displayName
			? { pendingUserId: row.pendingUserId, handle: row.handle, displayName: row.displayName }
			: null;
	return { pending };
}
