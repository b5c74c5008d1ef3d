// Fixed-window rate limits kept in the database, so every server process shares them.
import type { Database } from "../db";
import { AppError } from "../errors";

export interface RateLimitRule {
	/** Attempts allowed per window. */
	limit: number;
	windowMs: number;
}

/** Sign-up and sign-in attempts per client address: the default of COFFRE_SIGN_IN_LIMIT. */
export const SIGN_IN_LIMIT: RateLimitRule = { limit: 20, windowMs: 5 * 60_000 };
export const RECOVERY_LIMIT: RateLimitRule = { limit: 5, windowMs: 15 * 60_000 };

/** Counts one attempt for `key`; throws RATE_LIMITED once the window's limit is passed. */
export async function consumeRateLimit(
	db: Database,
	key: string,
	rule: RateLimitRule,
	now: Date,
): Promise<void> {
	const windowStart = new Date(now.getTime() - rule.windowMs);
	const rows = await db.$queryRaw<{ count: number }[]>`
		INSERT INTO rate_limits (key, window_start_at, count) VALUES (${key.slice(0, 128)}, ${now}, 1)
		ON CONFLICT (key) DO UPDATE SET
			count = CASE WHEN rate_limits.window_start_at <= ${windowStart} THEN 1 ELSE rate_limits.count + 1 END,
			window_start_at = CASE WHEN rate_limits.window_start_at <= ${windowStart} THEN ${now} ELSE rate_limits.window_start_at END
		RETURNING count`;
	if ((rows[0]?.count ?? 0) > rule.limit) {
		throw new AppError(
			"RATE_LIMITED",
			"Too many attempts. Please wait a few minutes and try again.",
		);
	}
}
