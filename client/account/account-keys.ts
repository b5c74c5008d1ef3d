// Every key operation of the account journeys, in the browser (DESIGN §3): making the
// AccountKey, identity keys and recovery kit at sign-up, wrapping the AccountKey under a
// passkey's PRF-derived key or an Argon2id-stretched passphrase, and opening it all again.
// Only what `createAccountKeys` returns as `payload` ever leaves the tab.
import { entropyToMnemonic, mnemonicToEntropy, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { argon2id } from "hash-wasm";
import {
	type AccountKey,
	asWrapped,
	derivePasskeyKey,
	deriveRecoveryProofKey,
	identityFingerprint as fingerprintOf,
	fromBase64url,
	generateIdentityKeys,
	generateKey,
	type IdentityKeys,
	importSecretKey,
	openIdentitySecrets,
	type PassphraseKey,
	type RecoveryKey,
	type SignedPublicIdentity,
	sealIdentitySecrets,
	sign,
	signingPublicKeyOf,
	signPublicIdentity,
	toBase64url,
	unwrapAccountKey,
	verifyPublicIdentity,
	wrapAccountKey,
} from "../../crypto";

/**
 * Argon2id parameters for vault passphrases, pinned here and never taken from the server
 * (DESIGN §3, §9.9): 64 MiB, 3 passes, one lane, 32-byte output.
 */
export const PASSPHRASE_ARGON2 = {
	memorySize: 64 * 1024,
	iterations: 3,
	parallelism: 1,
	hashLength: 32,
} as const;

export type AccountUnlockSecret =
	| { kind: "prf"; prfOutput: Uint8Array; credentialId: Uint8Array; prfSalt: Uint8Array }
	| { kind: "passphrase"; passphrase: string };

/** How an AccountKey is stored for one way in, as the API takes it. */
export type UnlockPayload =
	| { kind: "prf"; prfSalt: string; wrappedAccountKey: string }
	| { kind: "passphrase"; salt: string; wrappedAccountKey: string };

export interface UnlockedKeys {
	readonly userId: string;
	readonly accountKey: AccountKey;
	readonly identity: IdentityKeys;
	readonly publicIdentity: SignedPublicIdentity;
	/** Overwrites the secret key bytes held here (lock, sign-out). */
	forget(): void;
}

function unlockedKeys(
	userId: string,
	accountKey: AccountKey,
	identity: IdentityKeys,
	publicIdentity: SignedPublicIdentity,
): UnlockedKeys {
	return {
		userId,
		accountKey,
		identity,
		publicIdentity,
		forget() {
			accountKey.wipe();
			identity.signing.wipe();
			identity.encryption.wipe();
		},
	};
}

async function passphraseKey(passphrase: string, salt: Uint8Array): Promise<PassphraseKey> {
	const stretched = await argon2id({
		password: passphrase.normalize("NFKC"),
		salt,
		...PASSPHRASE_ARGON2,
		outputType: "binary",
	});
	try {
		return importSecretKey("PassphraseKey", stretched);
	} finally {
		stretched.fill(0);
	}
}

/** Wraps the AccountKey for one way in: a passkey's PRF, or the vault passphrase (fresh salt). */
export async function wrapAccountKeyForPasskey(
	accountKey: AccountKey,
	secret: AccountUnlockSecret,
	userId?: string,
): Promise<UnlockPayload> {
	const user = userId ?? currentUserId(accountKey);
	if (secret.kind === "prf") {
		const key = derivePasskeyKey(secret.prfOutput, secret.credentialId);
		return {
			kind: "prf",
			prfSalt: toBase64url(secret.prfSalt),
			wrappedAccountKey: toBase64url(wrapAccountKey(accountKey, key, { userId: user })),
		};
	}
	const salt = crypto.getRandomValues(new Uint8Array(16));
	const key = await passphraseKey(secret.passphrase, salt);
	return {
		kind: "passphrase",
		salt: toBase64url(salt),
		wrappedAccountKey: toBase64url(wrapAccountKey(accountKey, key, { userId: user })),
	};
}

const userIds = new WeakMap<AccountKey, string>();
function currentUserId(accountKey: AccountKey): string {
	const userId = userIds.get(accountKey);
	if (!userId) throw new Error("Unknown account key.");
	return userId;
}

/** The Ed25519 public key that proves possession of a RecoveryKey (stored by the server). */
function recoveryVerifyingKey(recoveryKey: RecoveryKey): Uint8Array {
	return signingPublicKeyOf(deriveRecoveryProofKey(recoveryKey));
}

/** Signs a recovery ceremony's challenge with the key derived from the RecoveryKey. */
export function proveRecoveryKit(recoveryKey: RecoveryKey, challenge: string): Uint8Array {
	return sign(deriveRecoveryProofKey(recoveryKey), "recovery-proof", fromBase64url(challenge));
}

/** The RecoveryKey written as a recovery kit's 24 words (BIP-39 English, 256 bits). */
export function recoveryKeyFromWords(words: string): RecoveryKey {
	const normalized = words.trim().toLowerCase().split(/\s+/).join(" ");
	if (!validateMnemonic(normalized, wordlist)) {
		throw new RecoveryWordsError();
	}
	return importSecretKey("RecoveryKey", mnemonicToEntropy(normalized, wordlist));
}

export class RecoveryWordsError extends Error {
	override name = "RecoveryWordsError";
	constructor() {
		super("These are not the 24 words of a Coffre recovery kit. Check each word and its order.");
	}
}

export interface CreatedAccountKeys {
	payload: {
		publicIdentity: string;
		sealedIdentitySecrets: string;
		unlock: UnlockPayload;
		recovery: { wrappedAccountKey: string; verifyingKey: string };
	};
	keys: UnlockedKeys;
	recoveryWords: string[];
}

/** Makes a new account's keys: AccountKey, identity, the first unlock wrap and the recovery kit. */
export async function createAccountKeys({
	userId,
	secret,
}: {
	userId: string;
	secret: AccountUnlockSecret;
}): Promise<CreatedAccountKeys> {
	const accountKey = generateKey("AccountKey");
	userIds.set(accountKey, userId);
	const identity = generateIdentityKeys();
	const publicIdentity = signPublicIdentity(identity, { userId, createdAt: Date.now() });
	const recoveryKey = generateKey("RecoveryKey");
	const recoveryBytes = recoveryKey.exportBytes();
	try {
		const payload = {
			publicIdentity: toBase64url(publicIdentity),
			sealedIdentitySecrets: toBase64url(sealIdentitySecrets(identity, accountKey, { userId })),
			unlock: await wrapAccountKeyForPasskey(accountKey, secret, userId),
			recovery: {
				wrappedAccountKey: toBase64url(wrapAccountKey(accountKey, recoveryKey, { userId })),
				verifyingKey: toBase64url(recoveryVerifyingKey(recoveryKey)),
			},
		};
		return {
			payload,
			keys: unlockedKeys(userId, accountKey, identity, publicIdentity),
			recoveryWords: entropyToMnemonic(recoveryBytes, wordlist).split(" "),
		};
	} finally {
		recoveryBytes.fill(0);
		recoveryKey.wipe();
	}
}

/** Opens the AccountKey from the recovery kit's wrap (bound to the user id). */
export function unwrapAccountKeyWithRecovery(
	recoveryKey: RecoveryKey,
	wrappedAccountKey: string,
	userHandle: string,
): AccountKey {
	const userId = userIdFromHandle(userHandle);
	const accountKey = unwrapAccountKey(
		asWrapped("AccountKey", fromBase64url(wrappedAccountKey)),
		recoveryKey,
		{ userId },
	);
	userIds.set(accountKey, userId);
	return accountKey;
}

/** WebAuthn user handles are the user id's 16 UUID bytes, base64url. */
function userIdFromHandle(userHandle: string): string {
	const hex = [...fromBase64url(userHandle)]
		.map((byte) => byte.toString(16).padStart(2, "0"))
		.join("");
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Opens the account after sign-in: unwraps the AccountKey, opens and checks the identity. */
export async function unlockAccountKeys({
	userId,
	unlock,
	secret,
	sealedIdentitySecrets,
	publicIdentity,
}: {
	userId: string;
	unlock: UnlockPayload;
	secret: AccountUnlockSecret;
	sealedIdentitySecrets: string;
	publicIdentity: string;
}): Promise<UnlockedKeys> {
	const wrapped = asWrapped("AccountKey", fromBase64url(unlock.wrappedAccountKey));
	let accountKey: AccountKey;
	if (unlock.kind === "prf") {
		if (secret.kind !== "prf") throw new Error("This passkey unlocks with PRF.");
		accountKey = unwrapAccountKey(
			wrapped,
			derivePasskeyKey(secret.prfOutput, secret.credentialId),
			{ userId },
		);
	} else {
		if (secret.kind !== "passphrase")
			throw new Error("This account unlocks with its vault passphrase.");
		accountKey = unwrapAccountKey(
			wrapped,
			await passphraseKey(secret.passphrase, fromBase64url(unlock.salt)),
			{ userId },
		);
	}
	userIds.set(accountKey, userId);
	const identity = openIdentitySecrets(
		asWrapped("IdentitySecrets", fromBase64url(sealedIdentitySecrets)),
		accountKey,
		{ userId },
	);
	const signedIdentity = fromBase64url(publicIdentity) as SignedPublicIdentity;
	const verified = verifyPublicIdentity(signedIdentity);
	// The server could hand back someone else's identity: it must be ours, with our keys.
	if (
		verified.userId !== userId ||
		toBase64url(verified.signingPublicKey) !== toBase64url(identity.signingPublicKey) ||
		toBase64url(verified.encryptionPublicKey) !== toBase64url(identity.encryptionPublicKey)
	) {
		throw new IdentityMismatchError();
	}
	return unlockedKeys(userId, accountKey, identity, signedIdentity);
}

export class IdentityMismatchError extends Error {
	override name = "IdentityMismatchError";
	constructor() {
		super(
			"The server returned an identity that does not match your keys. Your vault was not unlocked.",
		);
	}
}

/** The user's own identity fingerprint, in groups of five digits, to compare with others. */
export function identityFingerprint(publicIdentity: SignedPublicIdentity): string {
	return fingerprintOf(verifyPublicIdentity(publicIdentity)).join(" ");
}
