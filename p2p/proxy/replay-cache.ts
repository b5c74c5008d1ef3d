// Remembers the nonces of accepted re-encryption requests per share for as long as their
// issuedAt stays inside the clock window, so a captured request cannot be played again
// (DESIGN §7). Bounded per share and in total; when full it refuses rather than forgets, so a
// flood can only slow its own share down, never reopen a window for replays. In memory only:
// a restart forgets it (see the protocol's notes).

/** Outcome of `ReplayCache.remember`. */
export type NonceCheck = "fresh" | "replayed" | "full";

export class ReplayCache {
	private readonly shares = new Map<string, Map<string, number>>();

	constructor(
		private readonly windowMs: number,
		private readonly maxPerShare: number,
		private readonly maxShares: number,
		private readonly now: () => number,
	) {}

	/** Records `nonceHex` for `shareHex` (a request issued at `issuedAt`) unless already seen. */
	remember(shareHex: string, nonceHex: string, issuedAt: number): NonceCheck {
		const now = this.now();
		let nonces = this.shares.get(shareHex);
		if (nonces === undefined) {
			if (this.shares.size >= this.maxShares) this.forgetStale(now);
			if (this.shares.size >= this.maxShares) return "full";
			nonces = new Map();
			this.shares.set(shareHex, nonces);
		}
		for (const [nonce, forgetAt] of nonces) if (forgetAt <= now) nonces.delete(nonce);
		if (nonces.has(nonceHex)) return "replayed";
		if (nonces.size >= this.maxPerShare) return "full";
		// Past this time the request is refused as stale anyway.
		nonces.set(nonceHex, issuedAt + this.windowMs + 1);
		return "fresh";
	}

	private forgetStale(now: number): void {
		for (const [share, nonces] of this.shares) {
			for (const [nonce, forgetAt] of nonces) if (forgetAt <= now) nonces.delete(nonce);
			if (nonces.size === 0) this.shares.delete(share);
		}
	}
}
