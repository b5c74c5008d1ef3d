// Shared zod schemas for API inputs: bounded base64url byte strings (canonical, no padding),
// handles and display names. Every byte field of the API has an explicit size bound.
import type { AuthenticationExtensionsClientOutputs } from "@simplewebauthn/server";
import { z } from "zod";

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** base64url text decoding to between `min` and `max` bytes, given as a Uint8Array. */
export function zBytes({ min = 0, max }: { min?: number; max: number }) {
	return z
		.string()
		.max(Math.ceil((max * 4) / 3) + 2)
		.regex(BASE64URL, "must be base64url without padding")
		.transform((text, ctx) => {
			const bytes = new Uint8Array(Buffer.from(text, "base64url"));
			if (Buffer.from(bytes).toString("base64url") !== text) {
				ctx.addIssue({ code: "custom", message: "must be canonical base64url" });
				return z.NEVER;
			}
			if (bytes.length < min || bytes.length > max) {
				ctx.addIssue({
					code: "custom",
					message: `must be ${min === max ? min : `${min} to ${max}`} bytes`,
				});
				return z.NEVER;
			}
			return bytes;
		});
}

/**
 * A 32-byte key sealed in a sealed box (crypto/sealed-box: 73 bytes of framing + 32), with room
 * for future formats: the one bound for every wrapped key the API accepts.
 */
export const zWrappedKey = () => zBytes({ min: 48, max: 256 });

/** A name of up to 255 UTF-8 bytes, sealed: the one bound for every sealed name the API accepts. */
export const zSealedName = () => zBytes({ min: 48, max: 1024 });

/** Bytes sent back to the browser, as base64url. */
export const toBase64Url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

export const ZHandle = z
	.string()
	.trim()
	.toLowerCase()
	.min(3, "Handles have at least 3 characters.")
	.max(32, "Handles have at most 32 characters.")
	.regex(
		/^[a-z][a-z0-9._-]*$/,
		"Handles start with a letter and use only a–z, 0–9, dot, dash and underscore.",
	);

export const ZDisplayName = z
	.string()
	.trim()
	.min(1, "Please enter a name.")
	.max(64, "Names have at most 64 characters.")
	.refine((name) => !/\p{Cc}/u.test(name), "Names cannot contain control characters.");

/** Extension outputs the browser reports (e.g. prf.enabled): a small plain object. */
const ZExtensionResults = z.custom<AuthenticationExtensionsClientOutputs>(
	(value) =>
		typeof value === "object" &&
		value !== null &&
		!Array.isArray(value) &&
		JSON.stringify(value).length <= 2048,
	"must be an object of at most 2 KiB",
);

export const ZPasskeyName = z.string().trim().min(1).max(64);

/** A WebAuthn registration response as the browser sends it (checked in depth by the verifier). */
export const ZRegistrationResponse = z.object({
	id: z.string().max(1366).regex(BASE64URL),
	rawId: z.string().max(1366).regex(BASE64URL),
	type: z.literal("public-key"),
	response: z.object({
		clientDataJSON: z.string().max(4096).regex(BASE64URL),
		attestationObject: z.string().max(16_384).regex(BASE64URL),
		transports: z.array(z.string().max(32)).max(8).optional(),
	}),
	clientExtensionResults: ZExtensionResults,
	authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

/** A WebAuthn authentication response as the browser sends it. */
export const ZAuthenticationResponse = z.object({
	id: z.string().max(1366).regex(BASE64URL),
	rawId: z.string().max(1366).regex(BASE64URL),
	type: z.literal("public-key"),
	response: z.object({
		clientDataJSON: z.string().max(4096).regex(BASE64URL),
		authenticatorData: z.string().max(4096).regex(BASE64URL),
		signature: z.string().max(1024).regex(BASE64URL),
		userHandle: z.string().max(128).regex(BASE64URL).optional(),
	}),
	clientExtensionResults: ZExtensionResults,
	authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});
