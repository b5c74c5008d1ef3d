// Trust on first use between two real browsers: each sees the same safety number for the other;
// when the server swaps one person's keys, the other is warned and must accept the change.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { generateIdentityKeys, signPublicIdentity } from "../../../crypto";
import { addVirtualAuthenticator, type Page, sharedChromium } from "../../helpers/chromium";
import { signUpThroughUi } from "./helpers";

const baseUrl = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const chromiumBrowser = sharedChromium();

async function lookUp(
	page: Page,
	handle: string,
): Promise<{ status: string; safetyNumber: string }> {
	await page.getByLabel("Handle").fill(handle);
	await page.getByRole("button", { name: "Look up" }).click();
	await page.getByTestId("safety-number").waitFor();
	return {
		status: (await page.getByTestId("identity-status").textContent()) ?? "",
		safetyNumber: (await page.getByTestId("safety-number").textContent()) ?? "",
	};
}

describe("identity pinning", () => {
	it("shows both people the same safety number and warns when a key is swapped", async () => {
		const suffix = randomUUID().slice(0, 6);
		const alice = await (await chromiumBrowser().newContext()).newPage();
		await addVirtualAuthenticator(alice);
		await signUpThroughUi(alice, baseUrl, { handle: `alice-${suffix}`, displayName: "Alice" });
		const bob = await (await chromiumBrowser().newContext()).newPage();
		await addVirtualAuthenticator(bob);
		await signUpThroughUi(bob, baseUrl, { handle: `bob-${suffix}`, displayName: "Bob" });

		await bob.getByRole("link", { name: "People" }).click();
		const bobSees = await lookUp(bob, `alice-${suffix}`);
		expect(bobSees.status).toMatch(/First time/);
		expect(bobSees.safetyNumber).toMatch(/^(\d{5} ){11}\d{5}$/);

		await alice.getByRole("link", { name: "People" }).click();
		const aliceSees = await lookUp(alice, `bob-${suffix}`);
		expect(aliceSees.safetyNumber).toBe(bobSees.safetyNumber);

		await bob.getByRole("button", { name: /mark as verified/ }).click();
		expect(await lookUp(bob, `alice-${suffix}`)).toMatchObject({
			status: expect.stringMatching(/^Verified/),
		});

		// A malicious server swaps Alice's identity for one it controls (validly self-signed).
		const db = new pg.Client({ connectionString: databaseUrl });
		await db.connect();
		const { rows } = await db.query<{ id: string }>("SELECT id FROM users WHERE handle = $1", [
			`alice-${suffix}`,
		]);
		const forged = signPublicIdentity(generateIdentityKeys(), {
			userId: rows[0]?.id as string,
			createdAt: Date.now(),
		});
		await db.query("UPDATE users SET public_identity = $1 WHERE handle = $2", [
			Buffer.from(forged),
			`alice-${suffix}`,
		]);
		await db.end();

		const afterSwap = await lookUp(bob, `alice-${suffix}`);
		expect(afterSwap.status).toMatch(/keys changed/);
		expect(afterSwap.safetyNumber).not.toBe(bobSees.safetyNumber);
		await bob.getByRole("button", { name: "Accept the new keys" }).click();
		expect((await lookUp(bob, `alice-${suffix}`)).status).toMatch(/Same keys/);
	});
});
