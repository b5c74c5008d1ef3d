// The account journeys of the browser, end to end: sign up, sign in, recover, add a passkey.
// Each talks to the API, runs the passkey ceremony (with PRF) and does every key operation
// locally; the server only ever receives public keys, wrapped keys and salts.
import type {
	PublicKeyCredentialCreationOptionsJSON,
	PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";
import type { ApiClient } from "../api";
import {
	type AccountUnlockSecret,
	createAccountKeys,
	proveRecoveryKit,
	recoveryKeyFromWords,
	unlockAccountKeys,
	unwrapAccountKeyWithRecovery,
	wrapAccountKeyForPasskey,
} from "./account-keys";
import { createPasskey, getPasskey, PRF_INPUT } from "./passkey-ceremonies";
import { setUnlockedAccount, type UnlockedAccount } from "./unlocked-account";

/** Asked when a passkey has no PRF: the UI collects a vault passphrase (twice when new). */
export type AskPassphrase = (purpose: "create" | "unlock") => Promise<string>;

const toBase64Url = (bytes: Uint8Array) => {
	let text = "";
	for (const byte of bytes) text += String.fromCharCode(byte);
	return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
};
const fromBase64Url = (text: string) =>
	Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (char) =>
		char.charCodeAt(0),
	);

function unlockSecret(
	prfOutput: Uint8Array | null,
	credentialId: string,
	askPassphrase: AskPassphrase,
	purpose: "create" | "unlock",
): Promise<AccountUnlockSecret> | AccountUnlockSecret {
	if (prfOutput)
		return {
			kind: "prf",
			prfOutput,
			credentialId: fromBase64Url(credentialId),
			prfSalt: PRF_INPUT,
		};
	return askPassphrase(purpose).then((passphrase) => ({ kind: "passphrase", passphrase }));
}

export interface SignUpResult {
	account: UnlockedAccount;
	/** The recovery kit's words: shown once, never stored. */
	recoveryWords: string[];
}

export async function signUp(
	api: ApiClient,
	{
		handle,
		displayName,
		passkeyName,
		askPassphrase,
	}: { handle: string; displayName: string; passkeyName: string; askPassphrase: AskPassphrase },
): Promise<SignUpResult> {
	const { userId, options } = await api.auth.startSignUp.mutate({ handle, displayName });
	const { registration, prfOutput } = await createPasskey(
		options as unknown as PublicKeyCredentialCreationOptionsJSON,
	);
	const secret = await unlockSecret(prfOutput, registration.id, askPassphrase, "create");
	const created = await createAccountKeys({ userId, secret });
	const user = await api.auth.finishSignUp.mutate({
		registration,
		passkeyName,
		keys: created.payload,
	});
	const account = { user, keys: created.keys };
	setUnlockedAccount(account);
	return { account, recoveryWords: created.recoveryWords };
}

async function unlockFromSignIn(
	result: Awaited<ReturnType<ApiClient["auth"]["finishSignIn"]["mutate"]>>,
	prfOutput: Uint8Array | null,
	askPassphrase: AskPassphrase,
): Promise<UnlockedAccount> {
	const secret =
		result.unlock.kind === "prf"
			? await unlockSecret(prfOutput, result.credentialId, askPassphrase, "unlock")
			: { kind: "passphrase" as const, passphrase: await askPassphrase("unlock") };
	const keys = await unlockAccountKeys({
		userId: result.user.id,
		unlock: result.unlock,
		secret,
		sealedIdentitySecrets: result.sealedIdentitySecrets,
		publicIdentity: result.publicIdentity,
	});
	const account = { user: result.user, keys };
	setUnlockedAccount(account);
	return account;
}

export async function signIn(
	api: ApiClient,
	{ askPassphrase, autofill = false }: { askPassphrase: AskPassphrase; autofill?: boolean },
): Promise<UnlockedAccount> {
	const options = await api.auth.startSignIn.mutate();
	const { assertion, prfOutput } = await getPasskey(
		options as unknown as PublicKeyCredentialRequestOptionsJSON,
		{ autofill },
	);
	const result = await api.auth.finishSignIn.mutate({ assertion });
	return unlockFromSignIn(result, prfOutput, askPassphrase);
}

export async function recoverAccount(
	api: ApiClient,
	{
		handle,
		words,
		passkeyName,
		askPassphrase,
	}: { handle: string; words: string; passkeyName: string; askPassphrase: AskPassphrase },
): Promise<UnlockedAccount> {
	const recoveryKey = recoveryKeyFromWords(words);
	const { options, wrappedAccountKey } = await api.recovery.start.mutate({ handle });
	const creation = options as unknown as PublicKeyCredentialCreationOptionsJSON;
	const accountKey = await unwrapAccountKeyWithRecovery(
		recoveryKey,
		wrappedAccountKey,
		creation.user.id,
	);
	const proof = proveRecoveryKit(recoveryKey, creation.challenge);
	const { registration, prfOutput } = await createPasskey(creation);
	const secret = await unlockSecret(prfOutput, registration.id, askPassphrase, "create");
	const unlock = await wrapAccountKeyForPasskey(accountKey, secret);
	const result = await api.recovery.finish.mutate({
		registration,
		proof: toBase64Url(proof),
		passkeyName,
		unlock,
	});
	return unlockFromSignIn(result, prfOutput, async () =>
		secret.kind === "passphrase" ? secret.passphrase : askPassphrase("unlock"),
	);
}

/**
 * Adds a passkey to the unlocked account. With PRF it gets its own wrap of the AccountKey;
 * without, the account's vault passphrase is (re)set so that passkey can unlock too.
 */
export async function addPasskey(
	api: ApiClient,
	account: UnlockedAccount,
	{ name, askPassphrase }: { name: string; askPassphrase: AskPassphrase },
): Promise<void> {
	const options = await api.passkeys.startAdd.mutate();
	const { registration, prfOutput } = await createPasskey(
		options as unknown as PublicKeyCredentialCreationOptionsJSON,
	);
	const secret = await unlockSecret(prfOutput, registration.id, askPassphrase, "create");
	const unlock = await wrapAccountKeyForPasskey(account.keys.accountKey, secret);
	await api.passkeys.finishAdd.mutate({ registration, name, unlock });
}
