// The browser half of passkey ceremonies, with the WebAuthn PRF extension. PRF outputs are
// secrets: they are taken out of the response here and never sent to the server (only
// `prf.enabled` is). Cancelled or timed-out ceremonies become a typed error the UI explains.

import { sha256 } from "@noble/hashes/sha2.js";
import type {
	AuthenticationResponseJSON,
	PublicKeyCredentialCreationOptionsJSON,
	PublicKeyCredentialRequestOptionsJSON,
	RegistrationResponseJSON,
} from "@simplewebauthn/browser";
import {
	browserSupportsWebAuthn,
	browserSupportsWebAuthnAutofill,
	startAuthentication,
	startRegistration,
	WebAuthnAbortService,
} from "@simplewebauthn/browser";

/**
 * The PRF input every Coffre passkey is evaluated with. Discoverable sign-in cannot know the
 * credential in advance, so the input is one pinned constant; PasskeyKey is still unique per
 * passkey because HKDF salts it with the credential id (DESIGN §3).
 */
export const PRF_INPUT: Uint8Array<ArrayBuffer> = new Uint8Array(
	sha256(new TextEncoder().encode("coffre/prf-input/v1")),
);

export class PasskeyCancelledError extends Error {
	override name = "PasskeyCancelledError";
	constructor() {
		super("The passkey request was cancelled or timed out. Please try again.");
	}
}

export class PasskeyUnsupportedError extends Error {
	override name = "PasskeyUnsupportedError";
	constructor() {
		super("This browser cannot use passkeys. Please use an up-to-date browser.");
	}
}

type PrfResults = { enabled?: boolean; results?: { first?: ArrayBuffer | Uint8Array } };

/** Takes the PRF output out of a response's extension results, keeping only `enabled`. */
function extractPrf<T extends { clientExtensionResults: object }>(
	response: T,
): { response: T; prfOutput: Uint8Array | null } {
	const results = response.clientExtensionResults as { prf?: PrfResults };
	const first = results.prf?.results?.first;
	const prfOutput = first
		? new Uint8Array(first instanceof Uint8Array ? first : new Uint8Array(first))
		: null;
	const enabled = results.prf?.enabled ?? prfOutput !== null;
	const clientExtensionResults = results.prf ? { prf: { enabled } } : {};
	return { response: { ...response, clientExtensionResults }, prfOutput };
}

function isCancellation(error: unknown): boolean {
	const name = (error as { name?: string; cause?: { name?: string } }).name;
	const cause = (error as { cause?: { name?: string } }).cause?.name;
	return (
		name === "NotAllowedError" ||
		cause === "NotAllowedError" ||
		name === "AbortError" ||
		cause === "AbortError"
	);
}

async function ceremony<T>(run: () => Promise<T>): Promise<T> {
	if (!browserSupportsWebAuthn()) throw new PasskeyUnsupportedError();
	try {
		return await run();
	} catch (error) {
		if (isCancellation(error)) throw new PasskeyCancelledError();
		throw error;
	}
}

/** Creates a passkey, asking for PRF; returns the response for the server and the PRF output. */
export function createPasskey(
	optionsJSON: PublicKeyCredentialCreationOptionsJSON,
): Promise<{ registration: RegistrationResponseJSON; prfOutput: Uint8Array | null }> {
	return ceremony(async () => {
		const response = await startRegistration({
			optionsJSON: {
				...optionsJSON,
				extensions: { ...optionsJSON.extensions, prf: { eval: { first: PRF_INPUT } } } as never,
			},
		});
		const { response: registration, prfOutput } = extractPrf(response);
		return { registration, prfOutput };
	});
}

/**
 * Signs in with a passkey and evaluates PRF in the same ceremony. `autofill` uses conditional
 * mediation (the browser offers passkeys in the username field) where supported.
 */
export function getPasskey(
	optionsJSON: PublicKeyCredentialRequestOptionsJSON,
	{ autofill = false }: { autofill?: boolean } = {},
): Promise<{ assertion: AuthenticationResponseJSON; prfOutput: Uint8Array | null }> {
	return ceremony(async () => {
		const response = await startAuthentication({
			optionsJSON: {
				...optionsJSON,
				extensions: { ...optionsJSON.extensions, prf: { eval: { first: PRF_INPUT } } } as never,
			},
			useBrowserAutofill: autofill,
		});
		const { response: assertion, prfOutput } = extractPrf(response);
		return { assertion, prfOutput };
	});
}

export const supportsPasskeyAutofill = () => browserSupportsWebAuthnAutofill();

/** Cancels a pending autofill ceremony (before starting a button-driven one). */
export const cancelPendingCeremony = () => WebAuthnAbortService.cancelCeremony();
