// The address of a time-limited link (DESIGN §7): `<origin>/s/<link id>#<secret>`, the secret
// being the link's 32 random bytes in base64url (43 characters, no padding). Browsers never send
// the part after `#` to any server, so the secret stays in the recipient's tab. Parsing is
// strict: anything but a lowercase UUID and a canonical 32-byte secret is refused before any
// request is made. This module never logs or sends the secret.
import { fromBase64url, toBase64url } from "../../crypto";
import { LINK_SECRET_BYTES } from "../../crypto/sharing";

/** Characters of a link secret in base64url (32 bytes, unpadded). */
export const LINK_SECRET_CHARS = 43;
const LINK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** The link address is malformed (an id or secret that cannot be the one Coffre made). */
export class InvalidLinkError extends Error {
	override name = "InvalidLinkError";
	constructor() {
		super(
			"This link is incomplete or damaged. Ask for the full link again, including everything after “#”.",
		);
	}
}

/** A parsed link: its id (the server knows it) and secret (only the tab knows it). */
export interface LinkAddress {
	linkId: string;
	secret: Uint8Array;
}

/**
 * The link's address to hand out.
 * @example formatLinkUrl("https://vault.example.org", linkId, secret) // …/s/<id>#<43 chars>
 */
export function formatLinkUrl(origin: string, linkId: string, secret: Uint8Array): string {
	if (!LINK_ID.test(linkId) || secret.length !== LINK_SECRET_BYTES) throw new InvalidLinkError();
	return `${origin}/s/${linkId}#${toBase64url(secret)}`;
}

/**
 * Reads a link's id (the `/s/<id>` path segment) and its secret (`location.hash`, with its `#`);
 * throws InvalidLinkError for anything malformed.
 */
export function parseLinkAddress(linkId: string, hash: string): LinkAddress {
	const encoded = hash.startsWith("#") ? hash.slice(1) : "";
	if (!LINK_ID.test(linkId) || !SECRET.test(encoded)) throw new InvalidLinkError();
	let secret: Uint8Array;
	try {
		// Only the canonical encoding (the last character's unused bits zero) decodes.
		secret = fromBase64url(encoded);
	} catch {
		throw new InvalidLinkError();
	}
	if (secret.length !== LINK_SECRET_BYTES) throw new InvalidLinkError();
	return { linkId, secret };
}
