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
