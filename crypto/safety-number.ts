// Safety numbers (DESIGN §3): 60 decimal digits, shown as 12 groups of 5, that two users compare
// to detect a swapped key. Built like Signal's numeric fingerprint (libsignal
// `NumericFingerprintGenerator`): per identity, iterate SHA-512 5200 times over a versioned
// input, take 30 bytes as six 5-byte big-endian numbers mod 100 000; the two 30-digit halves are
// sorted so both users see the same number. Must stay stable: changing anything here changes
// every safety number users have compared.
import { sha512 } from "@noble/hashes/sha2.js";
import { ByteWriter, concatBytes, idBytes, utf8 } from "./bytes";
import type { PublicIdentity } from "./identity";

/** Signal's iteration count (libsignal, "5200 iterations"). */
export const SAFETY_NUMBER_ITERATIONS = 5200;
const SAFETY_NUMBER_DOMAIN = utf8("coffre/safety-number/v1");

function identityKeyBytes(identity: PublicIdentity): Uint8Array {
	return concatBytes(identity.signingPublicKey, identity.encryptionPublicKey);
}

function halfDigits(identity: PublicIdentity): string {
	const publicKey = identityKeyBytes(identity);
	let hash = sha512(
		new ByteWriter()
			.bytes(SAFETY_NUMBER_DOMAIN)
			.bytes(publicKey)
			.shortBytes(idBytes(identity.userId, "user id"))
			.finish(),
	);
	for (let i = 0; i < SAFETY_NUMBER_ITERATIONS; i++) hash = sha512(concatBytes(hash, publicKey));
	let digits = "";
	for (let i = 0; i < 30; i += 5) {
		let chunk = 0;
		for (let j = 0; j < 5; j++) chunk = chunk * 256 + (hash[i + j] as number);
		digits += String(chunk % 100_000).padStart(5, "0");
	}
	return digits;
}

/**
 * One identity's own fingerprint: 6 groups of 5 digits (its half of every safety number), for a
 * person to read out or compare with what others' Coffre shows for them.
 * @example identityFingerprint(mine).join(" ") // "12345 67890 …"
 */
export function identityFingerprint(identity: PublicIdentity): string[] {
	return halfDigits(identity).match(/\d{5}/g) as string[];
}

/**
 * The safety number of two identities: 12 groups of 5 digits, the same whichever side computes
 * it, and different when either public key or user id changes.
 * @example safetyNumber(mine, theirs).join(" ") // "12345 67890 …"
 */
export function safetyNumber(a: PublicIdentity, b: PublicIdentity): string[] {
	const halves = [halfDigits(a), halfDigits(b)].sort();
	const digits = halves.join("");
	return digits.match(/\d{5}/g) as string[];
}
