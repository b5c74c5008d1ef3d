// The cryptography of a share, in the browser (DESIGN §7). Making one: a fresh ShareKey; the
// shared item's NodeKey encapsulated to it with Umbral; t-of-n kfrags ShareKey → recipient,
// each sealed to one proxy node's encryption key; a policy (expiry, use limit, who may ask)
// signed by the share's own signer; and the ShareKey sealed under the owner's AccountKey.
// Opening one: signed re-encryption requests for the proxies, then the NodeKey from ≥ t
// verified capsule fragments. No key ever leaves this tab in the clear.
import {
	type AccountKey,
	fromBase64url,
	generateSecp256k1Key,
	importSecretKey,
	type NodeKey,
	type SigningPublicKey,
	type SigningSecretKey,
	sealBox,
	toBase64url,
} from "../../crypto";
import {
	capsuleHash,
	deriveShareSigner,
	openShare,
	type SharePolicy,
	sealKFragForProxy,
	shareKeyToUmbral,
	signReencryptRequest,
	signSharePolicy,
	verifySharePolicy,
} from "../../crypto/sharing";
import { Capsule, encrypt, generateKFrags, PublicKey, type SecretKey } from "../../crypto/umbral";

/** Default threshold and proxy count (DESIGN §7: 3 of 5). */
export const SHARE_THRESHOLD = 3;
export const SHARE_PROXIES = 5;

/** A proxy node as the server lists it. */
export interface ShareProxy {
	peerId: string;
	/** base64url compressed secp256k1 key from the node's signed record. */
	encryptionPublicKey: string;
}

/** What the server stores and relays for one share, all base64url. */
export interface PreparedShare {
	id: string;
	capsule: string;
	ciphertext: string;
	policy: string;
	sealedShareKey: string;
	kfrags: { peerId: string; sealedKFrag: string }[];
}

/** The 16 bytes of a UUID (share ids are UUIDs; policies carry their bytes). */
export function uuidBytes(uuid: string): Uint8Array {
	const hex = uuid.replaceAll("-", "");
	if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error("not a UUID");
	return Uint8Array.from(hex.match(/../g) as string[], (byte) => Number.parseInt(byte, 16));
}

/**
 * Makes a share of `nodeKey` for the holder of `receivingPk`, who will sign requests with the
 * key behind `requesterPk`.
 */
export function prepareShare({
	id = crypto.randomUUID(),
	owner,
	nodeKey,
	receivingPk,
	requesterPk,
	proxies,
	threshold = SHARE_THRESHOLD,
	expiresAt,
	notBefore = 0,
	useLimit = 0,
}: {
	/** The share's id; a link's keys are derived with it, so links choose it first. */
	id?: string;
	owner: { userId: string; accountKey: AccountKey };
	nodeKey: NodeKey;
	receivingPk: Uint8Array;
	requesterPk: SigningPublicKey;
	proxies: ShareProxy[];
	threshold?: number;
	expiresAt: number;
	notBefore?: number;
	useLimit?: number;
}): PreparedShare {
	if (proxies.length < threshold)
		throw new Error(`A share needs at least ${threshold} proxy nodes.`);
	const shareKey = generateSecp256k1Key("ShareKey");
	const delegatingSk = shareKeyToUmbral(shareKey);
	const signer = deriveShareSigner(shareKey);
	const recipient = PublicKey.fromBytes(receivingPk);
	const nodeKeyBytes = nodeKey.exportBytes();
	try {
		const { capsule, ciphertext } = encrypt(delegatingSk.publicKey(), nodeKeyBytes);
		const kfrags = generateKFrags({
			delegatingSk,
			receivingPk: recipient,
			signer,
			threshold,
			shares: proxies.length,
			signDelegatingKey: true,
			signReceivingKey: true,
		});
		const policy: SharePolicy = {
			shareId: uuidBytes(id),
			capsuleHash: capsuleHash(capsule.toBytes()),
			delegatingPk: delegatingSk.publicKey(),
			receivingPk: recipient,
			verifyingPk: signer.verifyingKey(),
			requesterPk,
			expiresAt,
			notBefore,
			useLimit,
			threshold,
			shares: proxies.length,
		};
		const shareKeyBytes = shareKey.exportBytes();
		const sealedShareKey = sealBox({
			key: owner.accountKey,
			purpose: "share-key",
			boundTo: { user: owner.userId, share: id },
			plaintext: shareKeyBytes,
		});
		shareKeyBytes.fill(0);
		return {
			id,
			capsule: toBase64url(capsule.toBytes()),
			ciphertext: toBase64url(ciphertext),
			policy: toBase64url(signSharePolicy(policy, signer)),
			sealedShareKey: toBase64url(sealedShareKey),
			kfrags: proxies.map((proxy, i) => ({
				peerId: proxy.peerId,
				sealedKFrag: toBase64url(
					sealKFragForProxy(
						kfrags[i] as (typeof kfrags)[number],
						PublicKey.fromBytes(fromBase64url(proxy.encryptionPublicKey)),
					),
				),
			})),
		};
	} finally {
		nodeKeyBytes.fill(0);
		shareKey.wipe();
	}
}

/** A share as a recipient gets it from the server (base64url fields). */
export interface ReceivedShare {
	id: string;
	capsule: string;
	ciphertext: string;
	policy: string;
	proxies: string[];
}

/**
 * Checks a received share's signed policy: it must be for this share id and for the given
 * receiving key. Returns the policy.
 */
export function checkReceivedShare(share: ReceivedShare, receivingPk: PublicKey): SharePolicy {
	const policy = verifySharePolicy(fromBase64url(share.policy));
	if (toBase64url(policy.shareId) !== toBase64url(uuidBytes(share.id)))
		throw new Error("This share's policy belongs to another share.");
	if (toBase64url(policy.receivingPk.toBytes()) !== toBase64url(receivingPk.toBytes()))
		throw new Error("This share was made for someone else.");
	return policy;
}

/** One signed re-encryption request per proxy of the share. */
export function signShareRequests(
	share: ReceivedShare,
	requester: SigningSecretKey,
	now = Date.now(),
): { peerId: string; request: string }[] {
	const capsule = fromBase64url(share.capsule);
	return share.proxies.map((peerId) => ({
		peerId,
		request: toBase64url(
			signReencryptRequest(
				{ shareId: uuidBytes(share.id), capsule, proxy: peerId, issuedAt: now },
				requester,
			),
		),
	}));
}

/**
 * The shared item's NodeKey from the capsule fragments the proxies returned (lying ones are
 * skipped; fewer than t valid ones throw NotEnoughCFragsError).
 */
export function openSharedNodeKey(
	share: ReceivedShare,
	policy: SharePolicy,
	receivingSk: SecretKey,
	cfrags: string[],
): NodeKey {
	const bytes = openShare({
		policy,
		capsule: Capsule.fromBytes(fromBase64url(share.capsule)),
		ciphertext: fromBase64url(share.ciphertext),
		receivingSk,
		cfrags: cfrags.map((cfrag) => fromBase64url(cfrag)),
	});
	try {
		return importSecretKey("NodeKey", bytes);
	} finally {
		bytes.fill(0);
	}
}
