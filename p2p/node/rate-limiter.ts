// Per-peer token buckets (DESIGN §5: per-peer rate limits). Each peer may make `burst` requests
// at once and `perSecond` more each second after; buckets of quiet peers are forgotten so the
// map stays bounded. It never blocks: it only answers whether one more request is allowed.

/** Limits of `PeerRateLimiter`. */
export interface RateLimit {
	perSecond: number;
	burst: number;
}

/** Most buckets kept; beyond it, the oldest are dropped (a full bucket is the default). */
const MAX_TRACKED_PEERS = 10_000;

export class PeerRateLimiter {
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

	constructor(
		private readonly limit: RateLimit,
		private readonly now: () => number = Date.now,
	) {}

	/** Takes one token for `peer`; false when the peer is over its limit. */
	take(peer: string): boolean {
		const now = this.now();
		const bucket = this.buckets.get(peer) ?? { tokens: this.limit.burst, at: now };
		bucket.tokens = Math.min(
			this.limit.burst,
			bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond,
		);
		bucket.at = now;
		this.buckets.delete(peer);
		this.buckets.set(peer, bucket);
		if (this.buckets.size > MAX_TRACKED_PEERS) {
			const oldest = this.buckets.keys().next().value;
			if (oldest !== undefined) this.buckets.delete(oldest);
		}
		if (bucket.tokens < 1) return false;
		bucket.tokens -= 1;
		return true;
	}
}
