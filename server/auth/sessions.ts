// Server-side sessions. The cookie carries 32 random bytes; the database keeps only their
// SHA-256, so a database leak yields no usable session. Sessions rotate at sign-in (a fresh
// token and row), expire after idling and at an absolute limit, and can all be ended at once.
import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../db";
import type { CookieJar } from "./cookies";

/** A session not yet signed in lives just long enough for a WebAuthn ceremony. */
export const PRE_AUTH_TTL_MS = 15 * 60_000;
/** A signed-in session ends after this long without a request… */
export const IDLE_TIMEOUT_MS = 24 * 60 * 60_000;
/** …and in any case this long after sign-in. */
export const ABSOLUTE_TIMEOUT_MS = 14 * 24 * 60 * 60_000;
/** lastSeenAt is written at most this often. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionSettings {
	/** Secure cookies (and the __Host- prefix) everywhere but plain-http localhost. */
	secure: boolean;
}

export function sessionCookieName({ secure }: SessionSettings): string {
	return secure ? "__Host-coffre_session" : "coffre_session";
}

const hashToken = (token: string) => createHash("sha256").update(token).digest();

export interface ActiveSession {
	id: string;
	userId: string | null;
	createdAt: Date;
}

function setCookie(
	cookies: CookieJar,
	settings: SessionSettings,
	token: string,
	maxAgeMs: number,
): void {
	cookies.set(sessionCookieName(settings), token, {
		httpOnly: true,
		secure: settings.secure,
		sameSite: "Lax",
		path: "/",
		maxAge: Math.max(0, Math.floor(maxAgeMs / 1000)),
	});
}

/** The caller's live session, or null. Extends the idle deadline of signed-in sessions. */
export async function readSession(
	db: Database,
	cookies: CookieJar,
	settings: SessionSettings,
	now: Date,
): Promise<ActiveSession | null> {
	const token = cookies.get(sessionCookieName(settings));
	if (token?.length !== 43) return null;
	const session = await db.session.findUnique({ where: { tokenHash: hashToken(token) } });
	if (!session) return null;
	if (session.expiresAt <= now) {
		await db.session.deleteMany({ where: { id: session.id } });
		return null;
	}
	if (session.userId && now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
		const expiresAt = new Date(
			Math.min(session.createdAt.getTime() + ABSOLUTE_TIMEOUT_MS, now.getTime() + IDLE_TIMEOUT_MS),
		);
		await db.session.update({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt } });
	}
	return { id: session.id, userId: session.userId, createdAt: session.createdAt };
}

async function createSession(
	db: Database,
	cookies: CookieJar,
	settings: SessionSettings,
	now: Date,
	userId: string | null,
): Promise<ActiveSession> {
	const token = randomBytes(32).toString("base64url");
	const ttl = userId ? IDLE_TIMEOUT_MS : PRE_AUTH_TTL_MS;
	const session = await db.session.create({
		data: {
			tokenHash: hashToken(token),
			userId,
			createdAt: now,
			lastSeenAt: now,
			expiresAt: new Date(now.getTime() + ttl),
		},
	});
	setCookie(cookies, settings, token, userId ? ABSOLUTE_TIMEOUT_MS : ttl);
	return { id: session.id, userId, createdAt: session.createdAt };
}

/** The caller's session, creating a short pre-authentication one when there is none. */
export async function ensureSession(
	db: Database,
	cookies: CookieJar,
	settings: SessionSettings,
	now: Date,
): Promise<ActiveSession> {
	return (
		(await readSession(db, cookies, settings, now)) ??
		createSession(db, cookies, settings, now, null)
	);
}

/** Signs `userId` in: the old session (and its challenges) is deleted and a new token issued. */
export async function rotateIntoUserSession(
	db: Database,
	cookies: CookieJar,
	settings: SessionSettings,
	now: Date,
	previousSessionId: string | null,
	userId: string,
): Promise<ActiveSession> {
	if (previousSessionId) await db.session.deleteMany({ where: { id: previousSessionId } });
	return createSession(db, cookies, settings, now, userId);
}

/** Ends the caller's session and clears the cookie. */
export async function endSession(
	db: Database,
	cookies: CookieJar,
	settings: SessionSettings,
	sessionId: string,
): Promise<void> {
	await db.session.deleteMany({ where: { id: sessionId } });
	setCookie(cookies, settings, "", 0);
}

/** Ends every session of a user, on every device. Returns how many were ended. */
export async function endAllSessions(db: Database, userId: string): Promise<number> {
	const { count } = await db.session.deleteMany({ where: { userId } });
	return count;
}
