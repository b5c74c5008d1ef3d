// The sharing formats (crypto/sharing): policies, re-encryption requests and revocations round
// trip; every flipped byte, a wrong signer, truncated, extended and garbage bytes are refused
// with typed errors; a kfrag sealed to one proxy opens only for that proxy and only for the
// policy's delegation; the recipient opens with t valid cfrags and not with fewer.
import { describe, expect, it } from "vitest";
import { generateSecp256k1Key, generateSigningKey, signingPublicKeyOf } from "../../crypto/keys";
import {
	capsuleHash,
	deriveShareSigner,
	openKFragForProxy,
	openShare,
	type ReencryptRequest,
	readReencryptRequest,
	readShareRevocation,
	SEALED_KFRAG_BYTES,
	type SharePolicy,
	SIGNED_SHARE_POLICY_BYTES,
	sealKFragForProxy,
	shareKeyToUmbral,
	signReencryptRequest,
	signSharePolicy,
	signShareRevocation,
	verifyReencryptRequest,
	verifySharePolicy,
	verifyShareRevocation,
} from "../../crypto/sharing";
import {
	encrypt,
	generateKFrags,
	reencrypt,
	SecretKey,
	Signer,
	type VerifiedKeyFrag,
} from "../../crypto/umbral";

function errorName(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		return (error as Error).name;
	}
	return "no error";
}

function flipped(bytes: Uint8Array, index: number): Uint8Array {
	const copy = Uint8Array.from(bytes);
	copy[index] = (copy[index] as number) ^ 0x01;
	return copy;
}

/** One share as the owner's client makes it: keys, capsule, 3-of-5 kfrags, policy. */
function makeShare(overrides: Partial<SharePolicy> = {}) {
	const shareKey = generateSecp256k1Key("ShareKey");
	const delegatingSk = shareKeyToUmbral(shareKey);
	const signer = deriveShareSigner(shareKey);
	const receivingSk = SecretKey.random();
	const requesterKey = generateSigningKey();
	const secret = crypto.getRandomValues(new Uint8Array(32));
	const { capsule, ciphertext } = encrypt(delegatingSk.publicKey(), secret);
	const kfrags = generateKFrags({
		delegatingSk,
		receivingPk: receivingSk.publicKey(),
		signer,
		threshold: 3,
		shares: 5,
		signDelegatingKey: true,
		signReceivingKey: true,
	});
	const policy: SharePolicy = {
		shareId: crypto.getRandomValues(new Uint8Array(16)),
		capsuleHash: capsuleHash(capsule.toBytes()),
		delegatingPk: delegatingSk.publicKey(),
		receivingPk: receivingSk.publicKey(),
		verifyingPk: signer.verifyingKey(),
		requesterPk: signingPublicKeyOf(requesterKey),
		expiresAt: Date.UTC(2030, 0, 1),
		notBefore: Date.UTC(2024, 0, 1),
		useLimit: 10,
		threshold: 3,
		shares: 5,
		...overrides,
	};
	return {
		shareKey,
		delegatingSk,
		signer,
		receivingSk,
		requesterKey,
		secret,
		capsule,
		ciphertext,
		kfrags,
		policy,
	};
}

const share = makeShare();
const signedPolicy = signSharePolicy(share.policy, share.signer);

describe("share policy", () => {
	it("round-trips through sign and verify with every field intact", () => {
		expect(signedPolicy).toHaveLength(SIGNED_SHARE_POLICY_BYTES);
		const back = verifySharePolicy(signedPolicy);
		expect(back.shareId).toEqual(share.policy.shareId);
		expect(back.capsuleHash).toEqual(share.policy.capsuleHash);
		expect(back.delegatingPk.equals(share.policy.delegatingPk)).toBe(true);
		expect(back.receivingPk.equals(share.policy.receivingPk)).toBe(true);
		expect(back.verifyingPk.equals(share.policy.verifyingPk)).toBe(true);
		expect(back.requesterPk).toEqual(share.policy.requesterPk);
		expect(back).toMatchObject({
			expiresAt: share.policy.expiresAt,
			notBefore: share.policy.notBefore,
			useLimit: 10,
			threshold: 3,
			shares: 5,
		});
	});

	it("refuses every single flipped byte, body and signature", () => {
		const refused = new Set<string>();
		for (let i = 0; i < signedPolicy.length; i++) {
			const name = errorName(() => verifySharePolicy(flipped(signedPolicy, i)));
			expect(["FormatError", "UnsupportedVersionError", "SignatureError"]).toContain(name);
			refused.add(name);
		}
		expect(refused).toEqual(new Set(["FormatError", "UnsupportedVersionError", "SignatureError"]));
	});

	it("refuses a policy signed by another key than its verifying key", () => {
		const other = new Signer(SecretKey.random());
		expect(errorName(() => signSharePolicy(share.policy, other))).toBe("MisuseError");
		const body = signedPolicy.subarray(0, SIGNED_SHARE_POLICY_BYTES - 64);
		const forged = new Uint8Array([
			...body,
			...other
				.sign(new Uint8Array([...new TextEncoder().encode("coffre/share-policy/v1"), ...body]))
				.toBytes(),
		]);
		expect(errorName(() => verifySharePolicy(forged))).toBe("SignatureError");
	});

	it("refuses truncated, extended and garbage bytes", () => {
		expect(errorName(() => verifySharePolicy(signedPolicy.subarray(0, 267)))).toBe("FormatError");
		expect(errorName(() => verifySharePolicy(new Uint8Array([...signedPolicy, 0])))).toBe(
			"FormatError",
		);
		const garbage = crypto.getRandomValues(new Uint8Array(SIGNED_SHARE_POLICY_BYTES));
		expect(["FormatError", "UnsupportedVersionError", "SignatureError"]).toContain(
			errorName(() => verifySharePolicy(garbage)),
		);
	});

	it("refuses to sign out-of-range fields", () => {
		const bad: Partial<SharePolicy>[] = [
			{ threshold: 6 },
			{ threshold: 0 },
			{ shares: 0 },
			{ expiresAt: 0, notBefore: 0 },
			{ notBefore: Date.UTC(2031, 0, 1) },
			{ useLimit: -1 },
			{ useLimit: 2 ** 32 },
			{ shareId: new Uint8Array(15) },
			{ capsuleHash: new Uint8Array(31) },
		];
		for (const override of bad) {
			expect(errorName(() => signSharePolicy({ ...share.policy, ...override }, share.signer))).toBe(
				"FormatError",
			);
		}
	});
});

describe("per-share signer", () => {
	it("is derived deterministically from the ShareKey and differs per share and from the ShareKey", () => {
		const again = deriveShareSigner(share.shareKey);
		expect(again.verifyingKey().equals(share.signer.verifyingKey())).toBe(true);
		expect(
			deriveShareSigner(makeShare().shareKey).verifyingKey().equals(again.verifyingKey()),
		).toBe(false);
		expect(again.verifyingKey().equals(share.delegatingSk.publicKey())).toBe(false);
	});
});

describe("re-encryption request", () => {
	const request: Omit<ReencryptRequest, "nonce"> = {
		shareId: share.policy.shareId,
		capsule: share.capsule.toBytes(),
		proxy: "12D3KooWExampleProxyPeerId",
		issuedAt: 1_700_000_000_000,
	};
	const signed = signReencryptRequest(request, share.requesterKey);

	it("round-trips with a fresh 16-byte nonce", () => {
		const back = verifyReencryptRequest(signed, share.policy.requesterPk);
		expect(back).toMatchObject(request);
		expect(back.nonce).toHaveLength(16);
		const second = readReencryptRequest(signReencryptRequest(request, share.requesterKey));
		expect(second.nonce).not.toEqual(back.nonce);
	});

	it("refuses every flipped byte and another requester's signature", () => {
		for (let i = 0; i < signed.length; i++) {
			expect(["FormatError", "UnsupportedVersionError", "SignatureError"]).toContain(
				errorName(() => verifyReencryptRequest(flipped(signed, i), share.policy.requesterPk)),
			);
		}
		const stranger = signReencryptRequest(request, generateSigningKey());
		expect(errorName(() => verifyReencryptRequest(stranger, share.policy.requesterPk))).toBe(
			"SignatureError",
		);
	});

	it("refuses truncated, extended and garbage bytes", () => {
		const pk = share.policy.requesterPk;
		expect(errorName(() => verifyReencryptRequest(signed.subarray(0, signed.length - 1), pk))).toBe(
			"FormatError",
		);
		expect(errorName(() => verifyReencryptRequest(new Uint8Array([...signed, 0]), pk))).toBe(
			"FormatError",
		);
		expect(errorName(() => verifyReencryptRequest(new Uint8Array(2000), pk))).toBe("FormatError");
		expect(
			errorName(() => signReencryptRequest({ ...request, proxy: "" }, share.requesterKey)),
		).toBe("FormatError");
	});
});

describe("share revocation", () => {
	const signed = signShareRevocation(
		{ shareId: share.policy.shareId, revokedAt: 42 },
		share.signer,
	);

	it("round-trips and verifies under the share's verifying key only", () => {
		expect(verifyShareRevocation(signed, share.policy.verifyingPk)).toEqual({
			shareId: share.policy.shareId,
			revokedAt: 42,
		});
		expect(errorName(() => verifyShareRevocation(signed, SecretKey.random().publicKey()))).toBe(
			"SignatureError",
		);
	});

	it("refuses every flipped byte, truncation and extension", () => {
		for (let i = 0; i < signed.length; i++) {
			expect(["FormatError", "UnsupportedVersionError", "SignatureError"]).toContain(
				errorName(() => verifyShareRevocation(flipped(signed, i), share.policy.verifyingPk)),
			);
		}
		expect(errorName(() => readShareRevocation(signed.subarray(1)))).toBe("FormatError");
		expect(errorName(() => readShareRevocation(new Uint8Array([...signed, 0])))).toBe(
			"FormatError",
		);
	});

	it("is not accepted as a policy, nor a policy as a revocation", () => {
		expect(errorName(() => verifySharePolicy(signed))).toBe("FormatError");
		expect(errorName(() => readShareRevocation(signedPolicy))).toBe("FormatError");
	});
});

describe("kfrag sealed to a proxy", () => {
	const proxyA = SecretKey.random();
	const proxyB = SecretKey.random();
	const kfrag = share.kfrags[0] as VerifiedKeyFrag;
	const sealed = sealKFragForProxy(kfrag, proxyA.publicKey());

	it("opens for its proxy as the same verified kfrag", () => {
		expect(sealed).toHaveLength(SEALED_KFRAG_BYTES);
		const opened = openKFragForProxy(sealed, proxyA, share.policy);
		expect(opened.equals(kfrag)).toBe(true);
		// It works: the opened kfrag re-encrypts the share's capsule.
		expect(reencrypt(share.capsule, opened).toBytes()).toHaveLength(381);
	});

	it("does not open for another proxy, nor when any byte is changed", () => {
		expect(errorName(() => openKFragForProxy(sealed, proxyB, share.policy))).toBe(
			"KFragRejectedError",
		);
		for (const index of [1, 50, 106, 200, 455]) {
			expect(errorName(() => openKFragForProxy(flipped(sealed, index), proxyA, share.policy))).toBe(
				"KFragRejectedError",
			);
		}
		expect(errorName(() => openKFragForProxy(flipped(sealed, 0), proxyA, share.policy))).toBe(
			"UnsupportedVersionError",
		);
		expect(errorName(() => openKFragForProxy(sealed.subarray(1), proxyA, share.policy))).toBe(
			"FormatError",
		);
	});

	it("is refused for a policy naming another recipient, delegator or signer", () => {
		const other = makeShare();
		for (const key of ["receivingPk", "delegatingPk", "verifyingPk"] as const) {
			const policy = { ...share.policy, [key]: other.policy[key] };
			expect(errorName(() => openKFragForProxy(sealed, proxyA, policy))).toBe("KFragRejectedError");
		}
	});

	it("is refused when the kfrag does not sign both keys", () => {
		const [loose] = generateKFrags({
			delegatingSk: share.delegatingSk,
			receivingPk: share.receivingSk.publicKey(),
			signer: share.signer,
			threshold: 1,
			shares: 1,
			signDelegatingKey: true,
			signReceivingKey: false,
		});
		const sealedLoose = sealKFragForProxy(loose as VerifiedKeyFrag, proxyA.publicKey());
		expect(errorName(() => openKFragForProxy(sealedLoose, proxyA, share.policy))).toBe(
			"KFragRejectedError",
		);
	});
});

describe("opening a share", () => {
	const cfrags = share.kfrags.map((k) => reencrypt(share.capsule, k).toBytes());
	const input = {
		policy: share.policy,
		capsule: share.capsule,
		ciphertext: share.ciphertext,
		receivingSk: share.receivingSk,
	};

	it("opens with three valid cfrags among a lying one", () => {
		const lie = Uint8Array.from(cfrags[3] as Uint8Array);
		lie[lie.length - 70] = (lie[lie.length - 70] as number) ^ 1;
		const plaintext = openShare({
			...input,
			cfrags: [cfrags[0], lie, cfrags[1], cfrags[2]] as Uint8Array[],
		});
		expect(plaintext).toEqual(share.secret);
	});

	it("fails with NotEnoughCFragsError with two valid, even when repeated", () => {
		const two = [cfrags[0], cfrags[1], cfrags[1], new Uint8Array(381)] as Uint8Array[];
		expect(errorName(() => openShare({ ...input, cfrags: two }))).toBe("NotEnoughCFragsError");
	});

	it("refuses a capsule the policy does not name", () => {
		const otherCapsule = encrypt(share.delegatingSk.publicKey(), new Uint8Array(32)).capsule;
		expect(errorName(() => openShare({ ...input, capsule: otherCapsule, cfrags }))).toBe(
			"IntegrityError",
		);
	});
});
