// Passkey ceremonies with SimpleWebAuthn: options for the browser, and verification of what it
// returns against the exact origin and RP ID, with user verification required. Failures become
// coded AppErrors with messages a person can act on.
import {
	type AuthenticationResponseJSON,
	generateAuthenticationOptions,
	generateRegistrationOptions,
	type PublicKeyCredentialCreationOptionsJSON,
	type PublicKeyCredentialRequestOptionsJSON,
	type RegistrationResponseJSON,
	verifyAuthenticationResponse,
	verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { AppError } from "../errors";
import type { RelyingParty } from "../trpc";

/** ES256, EdDSA, RS256: what platform authenticators and security keys offer. */
const ALGORITHMS = [-7, -8, -257];
const CEREMONY_TIMEOUT_MS = 5 * 60_000;

const challengeBytes = (challenge: string) => new Uint8Array(Buffer.from(challenge, "base64url"));

export function registrationOptions(
	rp: RelyingParty,
	{
		challenge,
		userId,
		handle,
		displayName,
		excludeCredentialIds = [],
	}: {
		challenge: string;
		userId: string;
		handle: string;
		displayName: string;
		excludeCredentialIds?: string[];
	},
): Promise<PublicKeyCredentialCreationOptionsJSON> {
	return generateRegistrationOptions({
		rpName: rp.name,
		rpID: rp.id,
		userName: handle,
		userID: new Uint8Array(Buffer.from(userId.replaceAll("-", ""), "hex")),
		userDisplayName: displayName,
		challenge: challengeBytes(challenge),
		timeout: CEREMONY_TIMEOUT_MS,
		attestationType: "none",
		excludeCredentials: excludeCredentialIds.map((id) => ({ id })),
		authenticatorSelection: { residentKey: "required", userVerification: "required" },
		supportedAlgorithmIDs: ALGORITHMS,
	});
}

export interface VerifiedRegistration {
	credentialId: string;
	publicKey: Uint8Array<ArrayBuffer>;
	counter: number;
	transports: string[];
	backedUp: boolean;
}

export async function verifyRegistration(
	rp: RelyingParty,
	response: RegistrationResponseJSON,
	challenge: string,
): Promise<VerifiedRegistration> {
	let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
	try {
		verification = await verifyRegistrationResponse({
			response,
			expectedChallenge: challenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.id,
			requireUserVerification: true,
			supportedAlgorithmIDs: ALGORITHMS,
		});
	} catch (error) {
		throw new AppError(
			"FORBIDDEN",
			`The new passkey could not be verified: ${(error as Error).message}`,
			{
				cause: error,
			},
		);
	}
	if (!verification.verified)
		throw new AppError("FORBIDDEN", "The new passkey could not be verified.");
	const { credential, credentialBackedUp } = verification.registrationInfo;
	return {
		credentialId: credential.id,
		publicKey: new Uint8Array(credential.publicKey),
		counter: credential.counter,
		transports: response.response.transports ?? [],
		backedUp: credentialBackedUp,
	};
}

export function authenticationOptions(
	rp: RelyingParty,
	{ challenge, allowCredentialIds = [] }: { challenge: string; allowCredentialIds?: string[] },
): Promise<PublicKeyCredentialRequestOptionsJSON> {
	return generateAuthenticationOptions({
		rpID: rp.id,
		challenge: challengeBytes(challenge),
		timeout: CEREMONY_TIMEOUT_MS,
		userVerification: "required",
		allowCredentials: allowCredentialIds.map((id) => ({ id })),
	});
}

export async function verifyAuthentication(
	rp: RelyingParty,
	response: AuthenticationResponseJSON,
	challenge: string,
	credential: { id: string; publicKey: Uint8Array; counter: number; transports: string[] },
): Promise<{ newCounter: number; backedUp: boolean }> {
	let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
	try {
		verification = await verifyAuthenticationResponse({
			response,
			expectedChallenge: challenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.id,
			requireUserVerification: true,
			credential: {
				id: credential.id,
				publicKey: new Uint8Array(credential.publicKey),
				counter: credential.counter,
				transports: credential.transports as never,
			},
		});
	} catch (error) {
		const message = (error as Error).message;
		if (/counter/i.test(message)) {
			throw new AppError(
				"FORBIDDEN",
				"This passkey's signature counter went backwards, which can mean it was cloned. Sign in with another passkey or your recovery kit.",
				{ cause: error },
			);
		}
		throw new AppError("FORBIDDEN", `The passkey could not be verified: ${message}`, {
			cause: error,
		});
	}
	if (!verification.verified) throw new AppError("FORBIDDEN", "The passkey could not be verified.");
	return {
		newCounter: verification.authenticationInfo.newCounter,
		backedUp: verification.authenticationInfo.credentialBackedUp,
	};
}
