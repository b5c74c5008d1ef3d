// The recipient's side of a share (DESIGN §7): given the signed policy's fields, the capsule,
// the ciphertext and whatever capsule fragments proxies returned, keep only fragments that
// verify for this capsule and delegation (a lying proxy's fragment is dropped, never used),
// and open with at least `threshold` of them. Never returns plaintext that did not authenticate.
import { bytesToHex } from "@noble/hashes/utils.js";
import { equalBytes } from "../bytes";
import { IntegrityError } from "../errors";
import {
	type Capsule,
	CapsuleFrag,
	decryptReencrypted,
	type SecretKey,
	type UmbralOptions,
	type VerifiedCapsuleFrag,
} from "../umbral";
import { NotEnoughCFragsError } from "./errors";
import { capsuleHash, type SharePolicy } from "./share-policy";

/** What `openShare` needs. */
export interface OpenShareInput {
	/** The verified policy (see `verifySharePolicy`). */
	policy: SharePolicy;
	capsule: Capsule;
	ciphertext: Uint8Array;
	/** The recipient's Umbral secret key (the policy's receivingPk). */
	receivingSk: SecretKey;
	/** Capsule fragment bytes as proxies returned them, honest or not. */
	cfrags: readonly Uint8Array[];
}

/**
 * Verifies each fragment, drops invalid and repeated ones, and decrypts with the rest.
 * Throws IntegrityError (capsule is not the policy's), NotEnoughCFragsError (fewer than
 * threshold valid) or Umbral's DecryptionFailedError.
 * @example const nodeKeyBytes = openShare({ policy, capsule, ciphertext, receivingSk, cfrags });
 */
export function openShare(input: OpenShareInput, options?: UmbralOptions): Uint8Array {
	const { policy, capsule } = input;
	if (!equalBytes(capsuleHash(capsule.toBytes()), policy.capsuleHash)) {
		throw new IntegrityError("the capsule is not the one the share policy names");
	}
	const valid = new Map<string, VerifiedCapsuleFrag>();
	let rejected = 0;
	for (const bytes of input.cfrags) {
		try {
			const verified = CapsuleFrag.fromBytes(bytes, options).verify(
				capsule,
				policy.verifyingPk,
				policy.delegatingPk,
				policy.receivingPk,
				options,
			);
			const id = bytesToHex(verified.cfrag.kfragId);
			if (valid.has(id)) rejected++;
			else valid.set(id, verified);
		} catch {
			rejected++;
		}
	}
	if (valid.size < policy.threshold) {
		throw new NotEnoughCFragsError(valid.size, policy.threshold, rejected);
	}
	return decryptReencrypted(
		input.receivingSk,
		policy.delegatingPk,
		capsule,
		[...valid.values()],
		input.ciphertext,
		options,
	);
}
