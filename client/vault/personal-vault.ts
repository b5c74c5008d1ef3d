// The signed-in user's personal vault: its VaultKey is made in the browser the first time and
// stored only sealed under the AccountKey (epoch 0), bound to user and vault. An open vault
// also carries its owner's signing keys, which sign its folder states (./folder-state.ts).
import {
	asWrapped,
	fromBase64url,
	generateKey,
	type IdentityKeys,
	toBase64url,
	unwrapVaultKey,
	type VaultKey,
	wrapVaultKey,
} from "../../crypto";
import type { UnlockedKeys } from "../account/account-keys";
import type { ApiClient } from "../api";

export interface OpenVault {
	id: string;
	key: VaultKey;
	/** The owner's signing keys: folder states are signed with them and checked against them. */
	owner: Pick<IdentityKeys, "signing" | "signingPublicKey">;
}

/** Personal vaults have one key epoch until shared vaults bring rotation (DESIGN §8). */
const PERSONAL_EPOCH = 0;

/** Opens the personal vault, creating it on first use. */
export async function openPersonalVault(api: ApiClient, keys: UnlockedKeys): Promise<OpenVault> {
	const existing = await api.vault.personal.query();
	if (existing) {
		const key = unwrapVaultKey(
			asWrapped("VaultKey", fromBase64url(existing.wrappedVaultKey)),
			keys.accountKey,
			{
				userId: keys.userId,
				vaultId: existing.id,
				epoch: PERSONAL_EPOCH,
			},
		);
		return { id: existing.id, key, owner: keys.identity };
	}
	const id = crypto.randomUUID();
	const key = generateKey("VaultKey");
	const wrapped = wrapVaultKey(key, keys.accountKey, {
		userId: keys.userId,
		vaultId: id,
		epoch: PERSONAL_EPOCH,
	});
	await api.vault.createPersonal.mutate({ id, wrappedVaultKey: toBase64url(wrapped) });
	return { id, key, owner: keys.identity };
}
