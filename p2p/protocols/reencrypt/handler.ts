// Node side of /coffre/reencrypt/1.0.0 (DESIGN §7): store a kfrag sealed to this node (only with
// a coordinator ticket, a policy signed by its verifying key, and a kfrag that opens and verifies
// for exactly that delegation), re-encrypt for a signed, fresh, unreplayed request within the
// policy's time window and use limit (the use is counted on disk BEFORE the answer), revoke on
// the share signer's word. Expired, used-up and revoked shares lose their kfrag and keep a
// tombstone. Curve work runs on the WASM backend. Nothing a peer sends can make it re-encrypt
// outside the policy, keep a kfrag it could not verify, or crash it.
import { sha256 } from "@noble/hashes/sha2.js";
import { equalBytes } from "../../../crypto/bytes";
import {
	MAX_REENCRYPT_REQUEST_BYTES,
	openKFragForProxy,
	type ReencryptRequest,
	readReencryptRequest,
	readShareRevocation,
	SEALED_KFRAG_BYTES,
	type SharePolicy,
	SIGNED_SHARE_POLICY_BYTES,
	sharePolicyHash,
	verifyReencryptRequest,
	verifySharePolicy,
	verifyShareRevocation,
} from "../../../crypto/sharing";
import { Capsule, encrypt, PublicKey, reencrypt, SecretKey } from "../../../crypto/umbral";
import { expiredTombstone, type RetiredReason, type StoredKFrag } from "../../proxy/kfrag-store";
import { wasmCurveBackend } from "../../proxy/wasm-curve-backend";
import { asMessage, bytesField, type Fields, stringField } from "../../wire/fields";
import { toHex } from "../../wire/hex";
import { Refusal } from "../../wire/rpc";
import { Status } from "../../wire/status";
import type { NodeContext } from "../context";
import { CLOCK_SKEW_MS } from "../limits";
import { envelopeField } from "../shard/ticket";
import { withStoreRefusals } from "../store-errors";
import { MAX_SHARE_LIFETIME_MS, REENCRYPT_MESSAGE_VERSION } from "./constants";
import { verifyKFragTicket } from "./ticket";

const umbral = { backend: wasmCurveBackend };
/** Size of a signed revocation (25-byte body + 64-byte signature). */
const SIGNED_REVOCATION_BYTES = 89;

/** Answers one decoded re-encryption protocol request. */
export async function handleReencryptRequest(
	context: NodeContext,
	message: unknown,
): Promise<Record<string, unknown>> {
	const fields = asMessage(message, REENCRYPT_MESSAGE_VERSION);
	const op = stringField(fields, "op", 16);
	switch (op) {
		case "store":
			return storeKFrag(context, fields);
		case "reencrypt":
			return reencryptCapsule(context, fields);
		case "revoke":
			return revokeShare(context, fields);
		default:
			throw new Refusal(Status.BAD_REQUEST, "op must be store, reencrypt or revoke");
	}
}

const RETIRED_STATUS: Record<RetiredReason, [number, string]> = {
	revoked: [Status.REVOKED, "this share was revoked"],
	expired: [Status.SHARE_EXPIRED, "this share has expired"],
	"used-up": [Status.USE_LIMIT_REACHED, "this share's use limit is used up"],
};

function refuseRetired(reason: RetiredReason): never {
	const [status, text] = RETIRED_STATUS[reason];
	throw new Refusal(status, text);
}

/** Verifies signed policy bytes with the WASM backend; any failure is BAD_POLICY. */
function checkedPolicy(bytes: Uint8Array): SharePolicy {
	try {
		return verifySharePolicy(bytes, umbral);
	} catch (err) {
		throw new Refusal(Status.BAD_POLICY, `share policy refused: ${(err as Error).message}`);
	}
}

async function storeKFrag(context: NodeContext, fields: Fields): Promise<Record<string, unknown>> {
	const policyBytes = bytesField(
		fields,
		"policy",
		SIGNED_SHARE_POLICY_BYTES,
		SIGNED_SHARE_POLICY_BYTES,
	);
	const sealedKFrag = bytesField(fields, "sealedKFrag", SEALED_KFRAG_BYTES, SEALED_KFRAG_BYTES);
	const now = context.now();
	const ticket = verifyKFragTicket(
		envelopeField(fields, "ticket"),
		context.coordinatorPublicKey,
		context.peerId,
		now,
	);
	if (!equalBytes(ticket.policyHash, sharePolicyHash(policyBytes))) {
		throw new Refusal(Status.TICKET_MISMATCH, "the ticket is for another policy");
	}
	const policy = checkedPolicy(policyBytes);
	if (!equalBytes(ticket.shareId, policy.shareId)) {
		throw new Refusal(Status.TICKET_MISMATCH, "the ticket is for another share");
	}
	if (policy.expiresAt <= now) throw new Refusal(Status.SHARE_EXPIRED, "the policy has expired");
	if (policy.expiresAt - now > MAX_SHARE_LIFETIME_MS) {
		throw new Refusal(Status.BAD_POLICY, "the policy expires too far in the future");
	}
	try {
		openKFragForProxy(sealedKFrag, context.proxy.secretKey, policy, umbral);
	} catch (err) {
		throw new Refusal(Status.BAD_KFRAG, `kfrag refused: ${(err as Error).message}`);
	}
	const shareHex = toHex(policy.shareId);
	const { kfrags } = context.proxy;
	await kfrags.withLock(shareHex, async () => {
		const state = kfrags.state(shareHex);
		if (state.kind === "stored")
			throw new Refusal(Status.SHARE_EXISTS, "this share is already stored");
		if (state.kind === "retired") refuseRetired(state.tombstone.reason);
		await withStoreRefusals(() =>
			kfrags.add(shareHex, {
				policy: policyBytes,
				sealedKFrag,
				uses: 0,
				expiresAt: policy.expiresAt,
				verifyingPk: policy.verifyingPk.toBytes(),
			}),
		);
	});
	return {};
}

/** The stored kfrag of a share, or the refusal its state calls for. */
async function storedShare(context: NodeContext, shareHex: string): Promise<StoredKFrag> {
	const { kfrags } = context.proxy;
	const state = kfrags.state(shareHex);
	if (state.kind === "retired") refuseRetired(state.tombstone.reason);
	const stored = state.kind === "stored" ? await kfrags.read(shareHex) : null;
	if (stored === null) throw new Refusal(Status.UNKNOWN_SHARE, "no kfrag for this share here");
	return stored;
}

async function reencryptCapsule(
	context: NodeContext,
	fields: Fields,
): Promise<Record<string, unknown>> {
	const signed = bytesField(fields, "request", 1, MAX_REENCRYPT_REQUEST_BYTES);
	let unverified: ReencryptRequest;
	try {
		unverified = readReencryptRequest(signed);
	} catch (err) {
		throw new Refusal(Status.BAD_REQUEST, `request refused: ${(err as Error).message}`);
	}
	const shareHex = toHex(unverified.shareId);
	const { kfrags } = context.proxy;
	return kfrags.withLock(shareHex, async () => {
		const stored = await storedShare(context, shareHex);
		const now = context.now();
		// Expiry first: any request for an expired share deletes its kfrag.
		if (now >= stored.expiresAt) {
			await kfrags.retire(shareHex, expiredTombstone(stored, now));
			refuseRetired("expired");
		}
		const policy = checkedPolicy(stored.policy);
		const request = checkRequest(context, signed, policy, now);
		const capsule = requestedCapsule(request, policy);
		if (now < policy.notBefore) {
			throw new Refusal(Status.NOT_YET_VALID, "this share is not valid yet");
		}
		if (policy.useLimit > 0 && stored.uses >= policy.useLimit) {
			await retireUsedUp(context, shareHex, policy);
			refuseRetired("used-up");
		}
		let kfrag: ReturnType<typeof openKFragForProxy>;
		try {
			kfrag = openKFragForProxy(stored.sealedKFrag, context.proxy.secretKey, policy, umbral);
		} catch {
			throw new Refusal(Status.BAD_KFRAG, "the stored kfrag no longer opens");
		}
		// Durable before any answer: a crash may lose a use, never grant an extra one.
		const uses = await kfrags.recordUse(shareHex, stored);
		const target = context.faults.wrongCFrags ? otherCapsule() : capsule;
		const cfrag = reencrypt(target, kfrag, umbral).toBytes();
		if (policy.useLimit > 0 && uses >= policy.useLimit) {
			await retireUsedUp(context, shareHex, policy);
		}
		return { cfrag };
	});
}

/** The request, checked against the policy and this node: signature, proxy, time, nonce. */
function checkRequest(
	context: NodeContext,
	signed: Uint8Array,
	policy: SharePolicy,
	now: number,
): ReencryptRequest {
	let request: ReencryptRequest;
	try {
		request = verifyReencryptRequest(signed, policy.requesterPk);
	} catch {
		throw new Refusal(
			Status.BAD_REQUEST_SIGNATURE,
			"the request is not signed by the share's requester key",
		);
	}
	if (request.proxy !== context.peerId) {
		throw new Refusal(Status.WRONG_PROXY, "the request is for another proxy");
	}
	if (Math.abs(now - request.issuedAt) > CLOCK_SKEW_MS) {
		throw new Refusal(Status.STALE_REQUEST, "the request's time is outside the proxy's window");
	}
	const seen = context.proxy.replay.remember(
		toHex(policy.shareId),
		toHex(request.nonce),
		request.issuedAt,
	);
	if (seen === "replayed") throw new Refusal(Status.REPLAYED, "this request was already served");
	if (seen === "full") throw new Refusal(Status.RATE_LIMITED, "too many requests for this share");
	return request;
}

/** The request's capsule when it is the policy's and parses strictly; else WRONG_CAPSULE. */
function requestedCapsule(request: ReencryptRequest, policy: SharePolicy): Capsule {
	if (!equalBytes(sha256(request.capsule), policy.capsuleHash)) {
		throw new Refusal(Status.WRONG_CAPSULE, "the capsule is not the one the policy names");
	}
	try {
		return Capsule.fromBytes(request.capsule, umbral);
	} catch {
		throw new Refusal(Status.WRONG_CAPSULE, "the policy's capsule is not a valid capsule");
	}
}

function retireUsedUp(context: NodeContext, shareHex: string, policy: SharePolicy) {
	return context.proxy.kfrags.retire(shareHex, {
		reason: "used-up",
		until: policy.expiresAt,
		verifyingPk: policy.verifyingPk.toBytes(),
	});
}

/** Test fault: a fresh, valid capsule nobody asked about. */
function otherCapsule(): Capsule {
	return encrypt(SecretKey.random().publicKey(umbral), new Uint8Array(1), umbral).capsule;
}

async function revokeShare(context: NodeContext, fields: Fields): Promise<Record<string, unknown>> {
	const signed = bytesField(fields, "revocation", SIGNED_REVOCATION_BYTES, SIGNED_REVOCATION_BYTES);
	let shareId: Uint8Array;
	try {
		shareId = readShareRevocation(signed).shareId;
	} catch (err) {
		throw new Refusal(Status.BAD_REQUEST, `revocation refused: ${(err as Error).message}`);
	}
	const shareHex = toHex(shareId);
	const { kfrags } = context.proxy;
	return kfrags.withLock(shareHex, async () => {
		const state = kfrags.state(shareHex);
		if (state.kind === "unknown") {
			throw new Refusal(Status.UNKNOWN_SHARE, "no kfrag for this share here");
		}
		let stored: StoredKFrag | null = null;
		let verifyingPk: Uint8Array;
		if (state.kind === "retired") verifyingPk = state.tombstone.verifyingPk;
		else {
			stored = await storedShare(context, shareHex);
			verifyingPk = stored.verifyingPk;
		}
		try {
			verifyShareRevocation(signed, PublicKey.fromBytes(verifyingPk, umbral), umbral);
		} catch {
			throw new Refusal(
				Status.BAD_REQUEST_SIGNATURE,
				"the revocation is not signed by the share's verifying key",
			);
		}
		// Already gone (revoked, expired or used up): revoking again changes nothing.
		if (stored === null) return { revoked: true };
		await kfrags.retire(shareHex, {
			reason: "revoked",
			until: Math.max(stored.expiresAt, context.now()),
			verifyingPk,
		});
		return { revoked: true };
	});
}
