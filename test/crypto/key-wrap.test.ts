// Key wrapping: each key kind round-trips under the key that protects it, unwraps to the branded
// type, and refuses other ids, other wrapping keys, and wrapped keys of another kind.
import { describe, expect, it } from "vitest";
import {
	asWrapped,
	derivePasskeyKey,
	generateIdentityKeys,
	generateKey,
	generateSecp256k1Key,
	importSecretKey,
	openIdentitySecrets,
	sealIdentitySecrets,
	unwrapAccountKey,
	unwrapNodeKey,
	unwrapShareKey,
	unwrapVaultKey,
	wrapAccountKey,
	wrapNodeKey,
	wrapShareKey,
	wrapVaultKey,
} from "../../crypto/index";

const same = (a: { exportBytes(): Uint8Array }, b: { exportBytes(): Uint8Array }) =>
	expect(a.exportBytes()).toEqual(b.exportBytes());

function errorName(run: () => unknown): string | undefined {
	try {
		run();
	} catch (error) {
		return (error as Error).name;
	}
	return undefined;
}

describe("key wrapping", () => {
	const accountKey = generateKey("AccountKey");
	const userId = "user-1";

	it("wraps the AccountKey under a PasskeyKey, the RecoveryKey and a passphrase key, each opening only with its own", () => {
		const passkeyKey = derivePasskeyKey(new Uint8Array(32).fill(1), new Uint8Array(16).fill(2));
		const recoveryKey = generateKey("RecoveryKey");
		const passphraseKey = importSecretKey("PassphraseKey", new Uint8Array(32).fill(3));
		for (const wrappingKey of [passkeyKey, recoveryKey, passphraseKey]) {
			const wrapped = wrapAccountKey(accountKey, wrappingKey, { userId });
			const unwrapped = unwrapAccountKey(wrapped, wrappingKey, { userId });
			expect(unwrapped.kind).toBe("AccountKey");
			same(unwrapped, accountKey);
			expect(errorName(() => unwrapAccountKey(wrapped, wrappingKey, { userId: "user-2" }))).toBe(
				"IntegrityError",
			);
		}
		// The same 32 bytes used as a different kind of wrapping key is a different purpose.
		const asRecovery = importSecretKey("RecoveryKey", passphraseKey.exportBytes());
		const wrapped = wrapAccountKey(accountKey, passphraseKey, { userId });
		expect(errorName(() => unwrapAccountKey(wrapped, asRecovery, { userId }))).toBe(
			"IntegrityError",
		);
		expect(errorName(() => unwrapAccountKey(wrapped, recoveryKey, { userId }))).toBe(
			"KeyCommitmentError",
		);
	});

	it("wraps a NodeKey under its parent NodeKey or the VaultKey, bound to node and parent (a move must re-wrap)", () => {
		const vaultKey = generateKey("VaultKey");
		const folderKey = generateKey("NodeKey");
		const fileKey = generateKey("NodeKey");
		const folderWrapped = wrapNodeKey(folderKey, vaultKey, {
			nodeId: "folder",
			parentId: "vault-root",
		});
		const fileWrapped = wrapNodeKey(fileKey, folderKey, { nodeId: "file", parentId: "folder" });
		same(
			unwrapNodeKey(folderWrapped, vaultKey, { nodeId: "folder", parentId: "vault-root" }),
			folderKey,
		);
		same(unwrapNodeKey(fileWrapped, folderKey, { nodeId: "file", parentId: "folder" }), fileKey);
		expect(
			errorName(() =>
				unwrapNodeKey(fileWrapped, folderKey, { nodeId: "file", parentId: "other-folder" }),
			),
		).toBe("IntegrityError");
		expect(
			errorName(() =>
				unwrapNodeKey(fileWrapped, folderKey, { nodeId: "folder", parentId: "folder" }),
			),
		).toBe("IntegrityError");
		expect(
			errorName(() => unwrapNodeKey(fileWrapped, vaultKey, { nodeId: "file", parentId: "folder" })),
		).toBe("KeyCommitmentError");
	});

	it("wraps a VaultKey bound to user, vault and epoch", () => {
		const vaultKey = generateKey("VaultKey");
		const ids = { userId, vaultId: "vault-1", epoch: 3 };
		const wrapped = wrapVaultKey(vaultKey, accountKey, ids);
		same(unwrapVaultKey(wrapped, accountKey, ids), vaultKey);
		expect(errorName(() => unwrapVaultKey(wrapped, accountKey, { ...ids, epoch: 4 }))).toBe(
			"IntegrityError",
		);
		expect(
			errorName(() => unwrapVaultKey(wrapped, accountKey, { ...ids, vaultId: "vault-2" })),
		).toBe("IntegrityError");
		expect(errorName(() => wrapVaultKey(vaultKey, accountKey, { ...ids, epoch: -1 }))).toBe(
			"FormatError",
		);
	});

	it("wraps a ShareKey bound to user and share", () => {
		const shareKey = generateSecp256k1Key("ShareKey");
		const wrapped = wrapShareKey(shareKey, accountKey, { userId, shareId: "share-1" });
		const unwrapped = unwrapShareKey(wrapped, accountKey, { userId, shareId: "share-1" });
		expect(unwrapped.kind).toBe("ShareKey");
		same(unwrapped, shareKey);
		expect(
			errorName(() => unwrapShareKey(wrapped, accountKey, { userId, shareId: "share-2" })),
		).toBe("IntegrityError");
	});

	it("a wrapped key of one kind never unwraps as another kind, even with matching ids", () => {
		const vaultKey = generateKey("VaultKey");
		const wrappedVault = wrapVaultKey(vaultKey, accountKey, { userId, vaultId: "v", epoch: 0 });
		const wrappedShare = wrapShareKey(generateSecp256k1Key("ShareKey"), accountKey, {
			userId,
			shareId: "v",
		});
		expect(
			errorName(() => unwrapShareKey(wrappedVault as never, accountKey, { userId, shareId: "v" })),
		).toBe("IntegrityError");
		expect(
			errorName(() =>
				unwrapVaultKey(wrappedShare as never, accountKey, { userId, vaultId: "v", epoch: 0 }),
			),
		).toBe("IntegrityError");
	});

	it("seals and opens identity secrets, rebuilding the same public keys", () => {
		const identity = generateIdentityKeys();
		const sealed = sealIdentitySecrets(identity, accountKey, { userId });
		const opened = openIdentitySecrets(sealed, accountKey, { userId });
		same(opened.signing, identity.signing);
		same(opened.encryption, identity.encryption);
		expect(opened.signingPublicKey).toEqual(identity.signingPublicKey);
		expect(opened.encryptionPublicKey).toEqual(identity.encryptionPublicKey);
		expect(
			errorName(() => openIdentitySecrets(sealed, generateKey("AccountKey"), { userId })),
		).toBe("KeyCommitmentError");
	});

	it("asWrapped checks the framing of stored bytes", () => {
		const wrapped = wrapShareKey(generateSecp256k1Key("ShareKey"), accountKey, {
			userId,
			shareId: "s",
		});
		expect(asWrapped("ShareKey", wrapped)).toEqual(wrapped);
		expect(errorName(() => asWrapped("ShareKey", wrapped.subarray(0, 20)))).toBe("FormatError");
		const badVersion = Uint8Array.from(wrapped);
		badVersion[0] = 2;
		expect(errorName(() => asWrapped("ShareKey", badVersion))).toBe("UnsupportedVersionError");
	});
});
