// A software WebAuthn authenticator for server tests: real P-256 keys, real authenticator data,
// "none" attestation, real ECDSA assertions — so the server's verification runs for real
// without a browser. It can be told to misbehave (no user verification, a counter that goes
// back) to test the server's refusals. Browser tests use Chromium's virtual authenticator.
import { createHash, randomBytes } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { encode } from "cborg";

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) =>
	new Uint8Array(createHash("sha256").update(data).digest());

interface StoredCredential {
	id: Uint8Array;
	secretKey: Uint8Array;
	userHandle: Uint8Array;
	rpId: string;
	counter: number;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

function authenticatorData(
	rpId: string,
	flags: number,
	counter: number,
	attested?: Uint8Array,
): Uint8Array {
	const counterBytes = new Uint8Array(4);
	new DataView(counterBytes.buffer).setUint32(0, counter);
	return Buffer.concat([
		sha256(rpId),
		Uint8Array.of(flags),
		counterBytes,
		attested ?? new Uint8Array(),
	]);
}

function clientData(
	type: "webauthn.create" | "webauthn.get",
	challenge: string,
	origin: string,
): Uint8Array {
	return new TextEncoder().encode(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

export class SoftwareAuthenticator {
	readonly credentials: StoredCredential[] = [];
	/** Set false to act like an authenticator that skipped user verification. */
	userVerified = true;

	/** Answers `navigator.credentials.create` options (as JSON from the server). */
	create(
		options: { challenge: string; rp: { id?: string }; user: { id: string } },
		origin: string,
		{ prf = true }: { prf?: boolean } = {},
	): RegistrationResponseJSON {
		const rpId = options.rp.id ?? new URL(origin).hostname;
		const secretKey = p256.utils.randomSecretKey();
		const point = p256.Point.fromBytes(p256.getPublicKey(secretKey, false));
		const { x, y } = point.toAffine();
		const coordinate = (n: bigint) =>
			Uint8Array.from(Buffer.from(n.toString(16).padStart(64, "0"), "hex"));
		const coseKey = encode(
			new Map<number, number | Uint8Array>([
				[1, 2],
				[3, -7],
				[-1, 1],
				[-2, coordinate(x)],
				[-3, coordinate(y)],
			]),
		);
		const id = new Uint8Array(randomBytes(16));
		const idLength = Uint8Array.of(0, id.length);
		const attested = Buffer.concat([new Uint8Array(16), idLength, id, coseKey]);
		const flags = FLAG_UP | FLAG_AT | (this.userVerified ? FLAG_UV : 0);
		const authData = authenticatorData(rpId, flags, 0, attested);
		const attestationObject = encode({ fmt: "none", attStmt: {}, authData });
		this.credentials.push({
			id,
			secretKey,
			userHandle: Buffer.from(options.user.id, "base64url"),
			rpId,
			counter: 0,
		});
		return {
			id: b64u(id),
			rawId: b64u(id),
			type: "public-key",
			response: {
				clientDataJSON: b64u(clientData("webauthn.create", options.challenge, origin)),
				attestationObject: b64u(attestationObject),
				transports: ["internal"],
			},
			clientExtensionResults: prf ? ({ prf: { enabled: true } } as never) : {},
			authenticatorAttachment: "platform",
		};
	}

	/** Answers `navigator.credentials.get` with the newest (or the given) credential. */
	get(
		options: { challenge: string; rpId?: string },
		origin: string,
		{
			credential = this.credentials.at(-1),
			counterStep = 1,
		}: { credential?: StoredCredential; counterStep?: number } = {},
	): AuthenticationResponseJSON {
		if (!credential) throw new Error("The software authenticator holds no credential.");
		credential.counter += counterStep;
		const flags = FLAG_UP | (this.userVerified ? FLAG_UV : 0);
		const authData = authenticatorData(options.rpId ?? credential.rpId, flags, credential.counter);
		const clientDataJSON = clientData("webauthn.get", options.challenge, origin);
		const signed = Buffer.concat([authData, sha256(clientDataJSON)]);
		const signature = p256.sign(signed, credential.secretKey, { format: "der" });
		return {
			id: b64u(credential.id),
			rawId: b64u(credential.id),
			type: "public-key",
			response: {
				clientDataJSON: b64u(clientDataJSON),
				authenticatorData: b64u(authData),
				signature: b64u(signature),
				userHandle: b64u(credential.userHandle),
			},
			clientExtensionResults: {},
			authenticatorAttachment: "platform",
		};
	}
}
