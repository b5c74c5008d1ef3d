// Page steps shared by the account journeys: sign up through the UI (saving the recovery words),
// sign in, and read the PRF output of a passkey for zero-knowledge checks.
import { mnemonicToEntropy } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { expect } from "vitest";
import type { Page } from "../../helpers/chromium";

export async function signUpThroughUi(
	page: Page,
	baseUrl: string,
	{ handle, displayName, passphrase }: { handle: string; displayName: string; passphrase?: string },
): Promise<{ words: string[]; recoveryKey: Uint8Array }> {
	await page.goto(`${baseUrl}/signup`);
	await page.getByLabel("Handle").fill(handle);
	await page.getByLabel("Your name").fill(displayName);
	await page.getByRole("button", { name: "Create passkey and vault" }).click();
	if (passphrase) {
		await page.getByLabel("Vault passphrase", { exact: true }).fill(passphrase);
		await page.getByLabel("Repeat the passphrase").fill(passphrase);
		await page.getByRole("button", { name: "Continue" }).click();
	}
	await page.getByRole("heading", { name: "Save your recovery kit" }).waitFor();
	const words = await page.getByTestId("recovery-word").allTextContents();
	expect(words).toHaveLength(24);
	const continueButton = page.getByRole("button", { name: "Continue to my vault" });
	expect(await continueButton.isDisabled()).toBe(true);
	await page.getByLabel("I have saved my recovery kit somewhere safe.").check();
	await continueButton.click();
	await page.waitForURL(`${baseUrl}/vault`);
	await expect
		.poll(() => page.getByTestId("lock-state").textContent())
		.toBe("Vault unlocked in this tab");
	return { words, recoveryKey: mnemonicToEntropy(words.join(" "), wordlist) };
}

export async function signInThroughUi(
	page: Page,
	baseUrl: string,
	{ passphrase }: { passphrase?: string } = {},
): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.getByRole("button", { name: "Sign in with a passkey" }).click();
	if (passphrase) {
		await page.getByLabel("Vault passphrase", { exact: true }).fill(passphrase);
		await page.getByRole("button", { name: "Continue" }).click();
	}
	await page.waitForURL(`${baseUrl}/vault`);
	await expect
		.poll(() => page.getByTestId("lock-state").textContent())
		.toBe("Vault unlocked in this tab");
}

/** Evaluates the PRF of the tab's passkey with Coffre's pinned PRF input (DESIGN §3). */
export async function prfOutputOf(page: Page): Promise<Uint8Array> {
	const bytes = await page.evaluate(async () => {
		const input = new Uint8Array(
			await crypto.subtle.digest("SHA-256", new TextEncoder().encode("coffre/prf-input/v1")),
		);
		const assertion = (await navigator.credentials.get({
			publicKey: {
				challenge: crypto.getRandomValues(new Uint8Array(32)),
				rpId: location.hostname,
				userVerification: "required",
				extensions: { prf: { eval: { first: input } } },
			},
		})) as PublicKeyCredential;
		return [
			...new Uint8Array(assertion.getClientExtensionResults().prf?.results?.first as ArrayBuffer),
		];
	});
	return Uint8Array.from(bytes);
}
