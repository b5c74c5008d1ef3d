// Key wrapping (DESIGN §3) on top of the sealed box: each key kind is sealed under the key that
// protects it, with its own purpose label and the ids it belongs to, and unwrapping returns the
// branded type. Must never unwrap into a different kind than was wrapped, and never accept a
// wrapped key bound to other ids (a moved node must be re-wrapped).
//
// Wrapped bytes are sealed boxes (sealed-box.ts layout); the plaintext is the 32 raw key bytes,
// or for identity secrets: Ed25519 seed (32) ‖ secp256k1 scalar (32).
import { concatBytes } from "./bytes";
import { FormatError } from "./errors";
import type { IdentityKeys } from "./identity";
import { identityKeysFromSecrets } from "./identity";
import type {
	AccountKey,
	NodeKey,
	PasskeyKey,
	PassphraseKey,
	RecoveryKey,
	SecretKey,
	SecretKeyKind,
	ShareKey,
	VaultKey,
} from "./keys";
import { importSecretKey, SECRET_KEY_BYTES } from "./keys";
import type { BoundIds, BoxKey, BoxPurpose } from "./sealed-box";
import { assertBoxFraming, openBox, sealBox } from "./sealed-box";

declare const wrappedBrand: unique symbol;

/** A sealed box holding a key of kind `K`. */
export type Wrapped<K extends string> = Uint8Array<ArrayBuffer> & { readonly [wrappedBrand]: K };
export type WrappedAccountKey = Wrapped<"AccountKey">;
export type WrappedNodeKey = Wrapped<"NodeKey">;
export type WrappedVaultKey = Wrapped<"VaultKey">;
export type WrappedShareKey = Wrapped<"ShareKey">;
export type SealedIdentitySecrets = Wrapped<"IdentitySecrets">;
export type WrappedKind = "AccountKey" | "NodeKey" | "VaultKey" | "ShareKey" | "IdentitySecrets";

/**
 * Brands bytes read from storage or JSON as a wrapped key of `kind` after checking the framing.
 * @example const wrapped = asWrapped("NodeKey", fromBase64url(row.wrappedNodeKey));
 */
export function asWrapped<K extends WrappedKind>(kind: K, bytes: Uint8Array): Wrapped<K> {
	assertBoxFraming(bytes, `wrapped ${kind}`);
	return Uint8Array.from(bytes) as Wrapped<K>;
}

function wrapSecret<P extends BoxPurpose, K extends WrappedKind>(
	secret: Uint8Array,
	key: BoxKey,
	purpose: P,
	boundTo: BoundIds<P>,
): Wrapped<K> {
	try {
		return sealBox({ key, purpose, boundTo, plaintext: secret }) as Wrapped<K>;
	} finally {
		secret.fill(0);
	}
}

function unwrapSecret<P extends BoxPurpose, K extends SecretKeyKind>(
	kind: K,
	box: Uint8Array,
	key: BoxKey,
	purpose: P,
	boundTo: BoundIds<P>,
): SecretKey<K> {
	const plaintext = openBox({ key, purpose, boundTo, box });
	try {
		if (plaintext.length !== SECRET_KEY_BYTES)
			throw new FormatError(`wrapped ${kind} has the wrong length`);
		return importSecretKey(kind, plaintext);
	} finally {
		plaintext.fill(0);
	}
}

/** The keys that may protect an AccountKey. */
export type AccountWrappingKey = PasskeyKey | RecoveryKey | PassphraseKey;

function accountPurpose(wrappingKey: AccountWrappingKey): BoxPurpose & `account-key/${string}` {
	switch (wrappingKey.kind) {
		case "PasskeyKey":
			return "account-key/passkey";
		case "RecoveryKey":
			return "account-key/recovery";
		case "PassphraseKey":
			return "account-key/passphrase";
		default:
			throw new FormatError(
				"an AccountKey is wrapped only under a PasskeyKey, RecoveryKey or PassphraseKey",
			);
	}
}

/**
 * Seals the AccountKey under a PasskeyKey, the RecoveryKey or a passphrase key, bound to the user.
 * @example const wrapped = wrapAccountKey(accountKey, passkeyKey, { userId });
 */
export function wrapAccountKey(
	accountKey: AccountKey,
	wrappingKey: AccountWrappingKey,
	ids: { userId: string },
): WrappedAccountKey {
	return wrapSecret(accountKey.exportBytes(), wrappingKey, accountPurpose(wrappingKey), {
		user: ids.userId,
	});
}

/** Opens a WrappedAccountKey with the same kind of key and user id it was wrapped with. */
export function unwrapAccountKey(
	wrapped: WrappedAccountKey,
	wrappingKey: AccountWrappingKey,
	ids: { userId: string },
): AccountKey {
	return unwrapSecret("AccountKey", wrapped, wrappingKey, accountPurpose(wrappingKey), {
		user: ids.userId,
	});
}

/** A node's key is sealed under its parent folder's NodeKey, or the VaultKey for a top-level node. */
export type NodeParentKey = NodeKey | VaultKey;

/**
 * Seals a NodeKey under its parent's key, bound to the node and parent ids (moving re-wraps).
 * @example const wrapped = wrapNodeKey(fileKey, folderKey, { nodeId, parentId });
 */
export function wrapNodeKey(
	nodeKey: NodeKey,
	parentKey: NodeParentKey,
	ids: { nodeId: string; parentId: string },
): WrappedNodeKey {
	return wrapSecret(nodeKey.exportBytes(), parentKey, "node-key", {
		node: ids.nodeId,
		parent: ids.parentId,
	});
}

/** Opens a WrappedNodeKey; fails if it was bound to another node or parent. */
export function unwrapNodeKey(
	wrapped: WrappedNodeKey,
	parentKey: NodeParentKey,
	ids: { nodeId: string; parentId: string },
): NodeKey {
	return unwrapSecret("NodeKey", wrapped, parentKey, "node-key", {
		node: ids.nodeId,
		parent: ids.parentId,
	});
}

function epochId(epoch: number): string {
	if (!Number.isSafeInteger(epoch) || epoch < 0)
		throw new FormatError("vault key epoch must be a non-negative integer");
	return String(epoch);
}

/**
 * Seals a personal VaultKey under the AccountKey, bound to user, vault and key epoch (DESIGN §8
 * rotation: an old epoch's key never opens as a newer one).
 */
export function wrapVaultKey(
	vaultKey: VaultKey,
	accountKey: AccountKey,
	ids: { userId: string; vaultId: string; epoch: number },
): WrappedVaultKey {
	return wrapSecret(vaultKey.exportBytes(), accountKey, "vault-key", {
		user: ids.userId,
		vault: ids.vaultId,
		epoch: epochId(ids.epoch),
	});
}

/** Opens a WrappedVaultKey for the same user, vault and epoch. */
export function unwrapVaultKey(
	wrapped: WrappedVaultKey,
	accountKey: AccountKey,
	ids: { userId: string; vaultId: string; epoch: number },
): VaultKey {
	return unwrapSecret("VaultKey", wrapped, accountKey, "vault-key", {
		user: ids.userId,
		vault: ids.vaultId,
		epoch: epochId(ids.epoch),
	});
}

/** Seals a ShareKey's secret under the owner's AccountKey (to add recipients later). */
export function wrapShareKey(
	shareKey: ShareKey,
	accountKey: AccountKey,
	ids: { userId: string; shareId: string },
): WrappedShareKey {
	return wrapSecret(shareKey.exportBytes(), accountKey, "share-key", {
		user: ids.userId,
		share: ids.shareId,
	});
}

/** Opens a WrappedShareKey for the same user and share. */
export function unwrapShareKey(
	wrapped: WrappedShareKey,
	accountKey: AccountKey,
	ids: { userId: string; shareId: string },
): ShareKey {
	return unwrapSecret("ShareKey", wrapped, accountKey, "share-key", {
		user: ids.userId,
		share: ids.shareId,
	});
}

/** Seals the private halves of a user's IdentityKeys under their AccountKey. */
export function sealIdentitySecrets(
	identity: IdentityKeys,
	accountKey: AccountKey,
	ids: { userId: string },
): SealedIdentitySecrets {
	const secrets = concatBytes(identity.signing.exportBytes(), identity.encryption.exportBytes());
	return wrapSecret(secrets, accountKey, "identity-secrets", { user: ids.userId });
}

/** Opens SealedIdentitySecrets and rebuilds the IdentityKeys (public halves recomputed). */
export function openIdentitySecrets(
	sealed: SealedIdentitySecrets,
	accountKey: AccountKey,
	ids: { userId: string },
): IdentityKeys {
	const plaintext = openBox({
		key: accountKey,
		purpose: "identity-secrets",
		boundTo: { user: ids.userId },
		box: sealed,
	});
	try {
		if (plaintext.length !== 2 * SECRET_KEY_BYTES)
			throw new FormatError("sealed identity secrets have the wrong length");
		return identityKeysFromSecrets(
			importSecretKey("SigningSecretKey", plaintext.subarray(0, SECRET_KEY_BYTES)),
			importSecretKey("EncryptionSecretKey", plaintext.subarray(SECRET_KEY_BYTES)),
		);
	} finally {
		plaintext.fill(0);
	}
}
