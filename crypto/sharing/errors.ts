// Typed errors of the sharing formats that the crypto core's generic ones do not already name.
// Messages say what failed and never carry key, kfrag or plaintext bytes.
import { CoffreCryptoError, IntegrityError } from "../errors";

/**
 * A key fragment sealed to a proxy did not open with that proxy's key, or opened but was made
 * for another delegator, recipient or signer than the share policy names.
 */
export class KFragRejectedError extends IntegrityError {
	override name = "KFragRejectedError";
}

/** Fewer valid capsule fragments than the share's threshold: the share cannot be opened. */
export class NotEnoughCFragsError extends CoffreCryptoError {
	override name = "NotEnoughCFragsError";
	constructor(
		readonly valid: number,
		readonly threshold: number,
		readonly rejected: number,
	) {
		super(
			`only ${valid} valid capsule fragments of the ${threshold} needed (${rejected} rejected); ask more proxies`,
		);
	}
}
