// The server's own checks of a share the browser made (defence in depth: the proxies check too):
// the policy is signed by its share signer, names this share id and this capsule, expires in
// the future and within the proxies' limit, and its t of n matches the kfrags sent.
import {
	capsuleHash,
	SHARE_ID_BYTES,
	type SharePolicy,
	verifySharePolicy,
} from "../../../crypto/sharing";
import { MAX_SHARE_LIFETIME_MS } from "../../../p2p/protocols/reencrypt/constants";
import { AppError } from "../../errors";

/** The 16 bytes of a UUID, as a policy carries its share id. */
export function uuidToBytes(uuid: string): Uint8Array {
	return Uint8Array.from(Buffer.from(uuid.replaceAll("-", ""), "hex"));
}

export function checkSharePolicy(
	{
		id,
		policy,
		capsule,
		proxies,
	}: { id: string; policy: Uint8Array; capsule: Uint8Array; proxies: number },
	now: Date,
): SharePolicy {
	let parsed: SharePolicy;
	try {
		parsed = verifySharePolicy(policy);
	} catch {
		throw new AppError(
			"BAD_INPUT",
			"The share's policy is malformed or not signed by its share key.",
		);
	}
	const idBytes = uuidToBytes(id);
	if (
		idBytes.length !== SHARE_ID_BYTES ||
		!Buffer.from(parsed.shareId).equals(Buffer.from(idBytes))
	)
		throw new AppError("BAD_INPUT", "The share's policy names another share.");
	if (!Buffer.from(parsed.capsuleHash).equals(Buffer.from(capsuleHash(capsule))))
		throw new AppError("BAD_INPUT", "The share's policy names another capsule.");
	if (parsed.expiresAt <= now.getTime())
		throw new AppError("BAD_INPUT", "The share's expiry is in the past.");
	if (parsed.expiresAt - now.getTime() > MAX_SHARE_LIFETIME_MS)
		throw new AppError("BAD_INPUT", "Shares can last at most 400 days.");
	if (parsed.shares !== proxies)
		throw new AppError("BAD_INPUT", "The share has a different number of kfrags than proxies.");
	return parsed;
}
