// Caller side of /coffre/reencrypt/1.0.0, used by the server (through a libp2p client node) and
// tests: store a sealed kfrag with its policy and ticket, ask for one capsule fragment, revoke.
// Refusals throw the typed errors of ./errors. `requestCFrag` checks only that the answer is a
// canonical capsule fragment: whether it is honest is for the recipient to verify
// (crypto/sharing `openShare`), since only the recipient holds the keys to check it against.
import type { PeerId } from "@libp2p/interface";
import type { Multiaddr } from "@multiformats/multiaddr";
import { CapsuleFrag } from "../../../crypto/umbral";
import { wasmCurveBackend } from "../../proxy/wasm-curve-backend";
import { BadResponseError, RemoteRefusedError } from "../../wire/errors";
import { callProtocol, type Dialer } from "../../wire/rpc";
import type { SignedEnvelope } from "../../wire/signed";
import {
	CFRAG_BYTES,
	MAX_REENCRYPT_FRAME_BYTES,
	REENCRYPT_MESSAGE_VERSION,
	REENCRYPT_PROTOCOL,
	REENCRYPT_TIMEOUT_MS,
} from "./constants";
import { typedRefusal } from "./errors";

/** Per-call options. */
export interface ReencryptCallOptions {
	timeoutMs?: number;
	signal?: AbortSignal;
}

type Target = PeerId | Multiaddr;

async function call(
	dialer: Dialer,
	peer: Target,
	request: Record<string, unknown>,
	options: ReencryptCallOptions = {},
) {
	try {
		return await callProtocol(
			dialer,
			peer,
			REENCRYPT_PROTOCOL,
			{ v: REENCRYPT_MESSAGE_VERSION, ...request },
			{
				timeoutMs: options.timeoutMs ?? REENCRYPT_TIMEOUT_MS,
				maxResponseBytes: MAX_REENCRYPT_FRAME_BYTES,
				...(options.signal ? { signal: options.signal } : {}),
			},
		);
	} catch (err) {
		throw err instanceof RemoteRefusedError ? typedRefusal(err) : err;
	}
}

/**
 * Stores one share's kfrag (sealed to `peer`'s encryption key) on `peer`, with the signed policy
 * and a coordinator kfrag ticket. Throws BadKFragTicketError, BadSharePolicyError,
 * BadKFragError, ShareExpiredError, ShareExistsError, ShareRevokedError, … (./errors).
 * @example await storeKFrag(client, proxyAddr, { policy: signedPolicy, sealedKFrag, ticket });
 */
export async function storeKFrag(
	dialer: Dialer,
	peer: Target,
	args: { policy: Uint8Array; sealedKFrag: Uint8Array; ticket: SignedEnvelope },
	options?: ReencryptCallOptions,
): Promise<void> {
	await call(dialer, peer, { op: "store", ...args }, options);
}

/**
 * Asks `peer` for a capsule fragment with a signed re-encryption request (crypto/sharing
 * `signReencryptRequest`, naming `peer`). Returns the fragment's 381 bytes, unverified.
 * Throws ShareExpiredError, UseLimitReachedError, ShareRevokedError, ReplayedRequestError, …
 * @example const cfrag = await requestCFrag(client, proxyAddr, signedRequest);
 */
export async function requestCFrag(
	dialer: Dialer,
	peer: Target,
	signedRequest: Uint8Array,
	options?: ReencryptCallOptions,
): Promise<Uint8Array> {
	const response = await call(dialer, peer, { op: "reencrypt", request: signedRequest }, options);
	const { cfrag } = response;
	if (!(cfrag instanceof Uint8Array) || cfrag.length !== CFRAG_BYTES) {
		throw new BadResponseError("reencrypt answer has no capsule fragment");
	}
	try {
		CapsuleFrag.fromBytes(cfrag, { backend: wasmCurveBackend });
	} catch {
		throw new BadResponseError("reencrypt answer is not a canonical capsule fragment");
	}
	return cfrag;
}

/**
 * Revokes a share on `peer` with a revocation signed by the share's signer; idempotent.
 * Throws UnknownShareError when `peer` never held it, BadRequestSignatureError for a bad signature.
 * @example await revokeShare(client, proxyAddr, signedRevocation);
 */
export async function revokeShare(
	dialer: Dialer,
	peer: Target,
	signedRevocation: Uint8Array,
	options?: ReencryptCallOptions,
): Promise<void> {
	const response = await call(
		dialer,
		peer,
		{ op: "revoke", revocation: signedRevocation },
		options,
	);
	if (response.revoked !== true) throw new BadResponseError("revoke answer does not confirm");
}
