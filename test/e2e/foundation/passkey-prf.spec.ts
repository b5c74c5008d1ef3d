// Proves the browser harness: a CDP virtual authenticator in Debian's Chromium creates a
// discoverable passkey with user verification and the PRF extension, and PRF evaluates to the
// same 32 bytes for the same salt and to different bytes for another — what sign-in relies on.
import { describe, expect, inject, it } from "vitest";
import { addVirtualAuthenticator, sharedChromium } from "../../helpers/chromium";

const baseUrl = inject("baseUrl");
const chromiumBrowser = sharedChromium();

/** Runs in the page: create a passkey with PRF, then evaluate PRF twice at sign-in. */
async function createAndEvaluate(): Promise<{
	enabledAtCreate: boolean | undefined;
	firstAtCreate: number[];
	sameSaltA: number[];
	sameSaltB: number[];
	otherSalt: number[];
}> {
	const salt = (label: string) => new TextEncoder().encode(label.padEnd(32, "."));
	const credential = (await navigator.credentials.create({
		publicKey: {
			rp: { name: "Coffre", id: location.hostname },
			user: { id: crypto.getRandomValues(new Uint8Array(16)), name: "ada", displayName: "Ada" },
			challenge: crypto.getRandomValues(new Uint8Array(32)),
			pubKeyCredParams: [
				{ type: "public-key", alg: -7 },
				{ type: "public-key", alg: -257 },
			],
			authenticatorSelection: { residentKey: "required", userVerification: "required" },
			extensions: { prf: { eval: { first: salt("coffre-a") } } },
		},
	})) as PublicKeyCredential;
	const created = credential.getClientExtensionResults().prf;
	const evaluate = async (label: string) => {
		const assertion = (await navigator.credentials.get({
			publicKey: {
				challenge: crypto.getRandomValues(new Uint8Array(32)),
				rpId: location.hostname,
				userVerification: "required",
				extensions: { prf: { eval: { first: salt(label) } } },
			},
		})) as PublicKeyCredential;
		const first = assertion.getClientExtensionResults().prf?.results?.first as ArrayBuffer;
		return [...new Uint8Array(first)];
	};
	return {
		enabledAtCreate: created?.enabled,
		firstAtCreate: created?.results?.first
			? [...new Uint8Array(created.results.first as ArrayBuffer)]
			: [],
		sameSaltA: await evaluate("coffre-a"),
		sameSaltB: await evaluate("coffre-a"),
		otherSalt: await evaluate("coffre-b"),
	};
}

describe("passkeys with PRF in the browser harness", () => {
	it("creates a passkey with PRF enabled and gets stable 32-byte outputs per salt", async () => {
		const context = await chromiumBrowser().newContext();
		const page = await context.newPage();
		const authenticator = await addVirtualAuthenticator(page);
		await page.goto(baseUrl);
		const result = await page.evaluate(createAndEvaluate);
		expect(result.enabledAtCreate).toBe(true);
		expect(result.sameSaltA).toHaveLength(32);
		expect(result.sameSaltA).toEqual(result.sameSaltB);
		expect(result.otherSalt).toHaveLength(32);
		expect(result.otherSalt).not.toEqual(result.sameSaltA);
		expect(await authenticator.credentials()).toHaveLength(1);
		await context.close();
	});

	it("reports PRF unavailable on an authenticator without it", async () => {
		const context = await chromiumBrowser().newContext();
		const page = await context.newPage();
		await addVirtualAuthenticator(page, { prf: false });
		await page.goto(baseUrl);
		const enabled = await page.evaluate(async () => {
			const credential = (await navigator.credentials.create({
				publicKey: {
					rp: { name: "Coffre", id: location.hostname },
					user: { id: crypto.getRandomValues(new Uint8Array(16)), name: "bob", displayName: "Bob" },
					challenge: crypto.getRandomValues(new Uint8Array(32)),
					pubKeyCredParams: [{ type: "public-key", alg: -7 }],
					authenticatorSelection: { residentKey: "required", userVerification: "required" },
					extensions: { prf: {} },
				},
			})) as PublicKeyCredential;
			return credential.getClientExtensionResults().prf?.enabled ?? false;
		});
		expect(enabled).toBe(false);
		await context.close();
	});
});
