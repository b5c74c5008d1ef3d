// Cryptographic randomness from WebCrypto `getRandomValues` (browsers, Workers and Node alike).
// Must never fall back to Math.random or any seeded generator.

/** getRandomValues fills at most 65 536 bytes per call (WebCrypto limit). */
const MAX_PER_CALL = 65_536;

/**
 * Returns `length` fresh random bytes.
 * @example const nonce = randomBytes(24);
 */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
	if (!Number.isSafeInteger(length) || length < 0)
		throw new RangeError("length must be a non-negative integer");
	const out = new Uint8Array(length);
	for (let offset = 0; offset < length; offset += MAX_PER_CALL) {
		globalThis.crypto.getRandomValues(
			out.subarray(offset, Math.min(length, offset + MAX_PER_CALL)),
		);
	}
	return out;
}

/** Bytes fetched at once for public nonces: one WebCrypto call serves this many bytes of nonces. */
const NONCE_POOL_BYTES = 4096;
let noncePool = new Uint8Array(0);
let noncePoolOffset = 0;

/**
 * Fills `into` with fresh random bytes for a public nonce, drawn from a pool refilled from
 * `getRandomValues` (one WebCrypto call costs as much as sealing a small box). Every byte is
 * handed out once and wiped from the pool as it is taken. Nonces only: secret keys use
 * `randomBytes`, so no key material ever waits in the pool.
 */
export function fillNonce(into: Uint8Array): void {
	if (into.length > NONCE_POOL_BYTES) {
		globalThis.crypto.getRandomValues(into);
		return;
	}
	if (noncePoolOffset + into.length > noncePool.length) {
		noncePool = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_POOL_BYTES));
		noncePoolOffset = 0;
	}
	const taken = noncePool.subarray(noncePoolOffset, noncePoolOffset + into.length);
	into.set(taken);
	taken.fill(0);
	noncePoolOffset += into.length;
}
