// Time-limited links end to end in real Chromium against the running system (DESIGN §7, §9.1,
// §9.7, §9.10): the owner makes links in the vault; fresh browser contexts without an account
// open them and download the file (bytes compared); a password link refuses a wrong password; a
// download limit of one is reached; a link revoked on the Shared page and a link past its
// expiry (the server's and proxies' TEST-ONLY clock moved) are refused, their kfrags gone from
// the proxies' disks; malformed links get a clear page and the API refuses bad ids and proofs
// without failing. Finally no link secret, password or link key is in the database, the server
// log, the nodes' disks, or any request URL, body or header the browsers sent.
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Request } from "playwright-core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { stretchLinkPassword } from "../../../client/sharing/links";
import { fromBase64url } from "../../../crypto";
import { deriveLinkKeys } from "../../../crypto/sharing";
import {
	addVirtualAuthenticator,
	collectPageErrors,
	type Page,
	sharedChromium,
} from "../../helpers/chromium";
import { dumpDatabase, encodingsOf, findSecrets, readTree } from "../../helpers/database-scan";
import { scratchDir } from "../../helpers/scratch-dir";
import { setClockOffset } from "../../helpers/test-clock";
import { signUpThroughUi } from "../accounts/helpers";

const baseUrl = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const dataDir = inject("dataDir");
const clockFile = inject("clockFile");
const chromiumBrowser = sharedChromium();
const HOUR = 3_600_000;

const scratch = scratchDir("coffre-links-");
let owner: Page;
let ownerErrors: string[];
const fileName = `link-canary-${randomUUID()}.bin`;
const fileBytes = Buffer.concat([
	Buffer.from(`The link canary ${fileName}\n`),
	randomBytes(300_000),
]);
/** Every secret a link was made with, by label, for the final scan. */
const secrets: Record<string, Uint8Array> = {};
/** Link passwords as typed, looked for as plain text too. */
const passwords: string[] = [];
/** Everything the browsers sent: URL, body and all headers of each request. */
const sent: Promise<{ url: string; body: Buffer; headers: Record<string, string> }>[] = [];

function record(context: BrowserContext) {
	context.on("request", (request: Request) => {
		sent.push(
			request.allHeaders().then(
				(headers) => ({
					url: request.url(),
					body: request.postDataBuffer() ?? Buffer.alloc(0),
					headers,
				}),
				() => ({
					url: request.url(),
					body: request.postDataBuffer() ?? Buffer.alloc(0),
					headers: {},
				}),
			),
		);
	});
}

async function newContext(): Promise<BrowserContext> {
	const context = await chromiumBrowser().newContext({ acceptDownloads: true });
	record(context);
	return context;
}

afterAll(async () => {
	await setClockOffset(clockFile, 0);
});

/** Makes a link to the canary file through the Get link dialog; returns its address and id. */
async function createLink(
	label: string,
	{ limit, password, expiry }: { limit?: number; password?: string; expiry?: string } = {},
): Promise<{ url: string; id: string }> {
	await owner.getByRole("button", { name: `More actions for ${fileName}`, exact: true }).click();
	await owner.getByRole("button", { name: `Get link to ${fileName}`, exact: true }).click();
	const dialog = owner.getByRole("dialog");
	expect(await dialog.getByText("What someone already downloaded stays with them").count()).toBe(1);
	expect(await dialog.getByLabel("Link expires after").inputValue()).toBe(String(7 * 24 * HOUR));
	if (expiry) await dialog.getByLabel("Link expires after").selectOption({ label: expiry });
	if (limit) await dialog.getByLabel("Download limit (optional)").fill(String(limit));
	if (password) await dialog.getByLabel("Password (optional)").fill(password);
	await dialog.getByRole("button", { name: "Create link" }).click();
	const field = dialog.getByLabel("Link", { exact: true });
	await field.waitFor({ timeout: 60_000 });
	const url = await field.inputValue();
	expect(url).toMatch(/^http:\/\/localhost:\d+\/s\/[0-9a-f-]{36}#[A-Za-z0-9_-]{43}$/);
	expect(await dialog.getByText("the part after “#”").count()).toBe(1);
	await dialog.getByRole("button", { name: "Done" }).click();
	const id = new URL(url).pathname.slice("/s/".length);
	const secret = fromBase64url(new URL(url).hash.slice(1));
	secrets[`${label} secret`] = secret;
	const stretched = password
		? await stretchLinkPassword(password, await passwordSaltOf(id))
		: undefined;
	if (password) {
		secrets[`${label} password`] = Buffer.from(password);
		passwords.push(password);
	}
	if (stretched) secrets[`${label} stretched password`] = stretched;
	const keys = deriveLinkKeys(secret, id, stretched);
	secrets[`${label} receiving key`] = keys.receivingSk.toBytes();
	secrets[`${label} requester key`] = keys.requester.exportBytes();
	return { url, id };
}

/** The password salt the server keeps for a link (public by design). */
async function passwordSaltOf(id: string): Promise<Uint8Array> {
	const response = await fetch(
		`${baseUrl}/api/trpc/links.open?input=${encodeURIComponent(JSON.stringify({ json: { id } }))}`,
	);
	const body = (await response.json()) as {
		result: { data: { json: { link: { passwordSalt: string } } } };
	};
	return fromBase64url(body.result.data.json.link.passwordSalt);
}

async function openLinkPage(url: string, onRequest?: (request: Request) => void): Promise<Page> {
	const context = await newContext();
	if (onRequest) context.on("request", onRequest);
	const page = await context.newPage();
	const response = await page.goto(url);
	// The page never gives its address to anyone it links to or loads from.
	expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
	return page;
}

async function downloadFromLink(page: Page): Promise<Buffer> {
	await page.getByRole("heading", { name: fileName }).waitFor({ timeout: 60_000 });
	const [download] = await Promise.all([
		page.waitForEvent("download", { timeout: 120_000 }),
		page.getByRole("button", { name: "Download", exact: true }).click(),
	]);
	const bytes = readFileSync((await download.path()) as string);
	await page.getByText("Downloaded and verified.").waitFor();
	return bytes;
}

const problemOf = (page: Page) => page.getByTestId("link-problem").textContent();

/** How many of the proxies hold a kfrag / a tombstone for this share. */
function proxyFiles(id: string): { kfrags: number; tombstones: number } {
	const hex = id.replaceAll("-", "");
	const nodes = readTree(join(dataDir, "nodes")).map(([path]) => path);
	return {
		kfrags: nodes.filter((path) => path.endsWith(`/proxy/kfrags/${hex}.kfrag`)).length,
		tombstones: nodes.filter((path) => path.endsWith(`/proxy/tombstones/${hex}.tomb`)).length,
	};
}

async function goToShared(): Promise<void> {
	// Client-side navigation keeps the unlocked keys of this tab.
	await owner
		.getByRole("navigation", { name: "Account" })
		.getByRole("link", { name: "Shared", exact: true })
		.click();
	await owner.getByRole("heading", { name: "Shared", level: 1 }).waitFor();
	await owner.getByTestId("share-row").first().waitFor({ timeout: 60_000 });
}

async function backToVault(): Promise<void> {
	await owner.getByRole("link", { name: "Vault", exact: true }).click();
	await owner.getByRole("button", { name: `More actions for ${fileName}`, exact: true }).waitFor();
}

describe("time-limited links", () => {
	it("the owner signs up and uploads the file the links share", async () => {
		owner = await (await newContext()).newPage();
		ownerErrors = collectPageErrors(owner);
		await addVirtualAuthenticator(owner);
		await signUpThroughUi(owner, baseUrl, {
			handle: `lin-${randomUUID().slice(0, 6)}`,
			displayName: "Lin",
		});
		writeFileSync(scratch.path(fileName), fileBytes);
		await owner.getByLabel("Files to upload").setInputFiles(scratch.path(fileName));
		await expect
			.poll(() => owner.getByTestId("transfer").filter({ hasText: "Uploaded" }).count(), {
				timeout: 120_000,
			})
			.toBe(1);
	});

	it("a fresh browser without an account downloads the file by link; the bytes match", async () => {
		const { url, id } = await createLink("plain");
		expect(proxyFiles(id).kfrags).toBe(5);
		const page = await openLinkPage(url);
		const errors = collectPageErrors(page);
		expect((await downloadFromLink(page)).equals(fileBytes)).toBe(true);
		expect(await page.getByTestId("link-file-size").textContent()).toBe("300 KB");
		expect(errors).toEqual([]);
	});

	it("a password link refuses a wrong password clearly and opens with the right one", async () => {
		const { url } = await createLink("password", { password: "lighthouse keeper" });
		const page = await openLinkPage(url);
		await page.getByRole("heading", { name: "This link needs a password" }).waitFor();
		await page.getByLabel("Link password").fill("lighthouse keeper!");
		await page.getByRole("button", { name: "Open" }).click();
		await page.getByText("That password is not right for this link.").waitFor({ timeout: 60_000 });
		await page.getByLabel("Link password").fill("lighthouse keeper");
		await page.getByRole("button", { name: "Open" }).click();
		expect((await downloadFromLink(page)).equals(fileBytes)).toBe(true);
	});

	it("a link with a download limit of one opens once, then says the limit is reached", async () => {
		const { url, id } = await createLink("limited", { limit: 1 });
		const first = await openLinkPage(url);
		expect((await downloadFromLink(first)).equals(fileBytes)).toBe(true);
		const second = await openLinkPage(url);
		await second.getByRole("heading", { name: "Download limit reached" }).waitFor();
		expect(await problemOf(second)).toMatch(/reached its download limit/);
		// The proxies deleted their kfrags; the owner sees it.
		expect(proxyFiles(id).kfrags).toBe(0);
		await goToShared();
		const row = owner.getByTestId("share-row").filter({ hasText: "Download limit reached" });
		expect(await row.first().getByTestId("share-uses").textContent()).toBe("1 of 1");
		await backToVault();
	});

	it("a link the owner revokes on the Shared page says it was revoked", async () => {
		const { url, id } = await createLink("revoked");
		await goToShared();
		const row = owner.getByTestId("share-row").first();
		expect(await row.getByTestId("share-state").textContent()).toBe("Active");
		expect(await row.textContent()).toContain(fileName);
		owner.once("dialog", (dialog) => void dialog.accept());
		await row.getByRole("button", { name: `Revoke link to ${fileName}` }).click();
		await owner.getByText("what was already downloaded stays with the recipient").waitFor();
		await expect.poll(() => row.getByTestId("share-state").textContent()).toBe("Revoked");
		expect(proxyFiles(id)).toMatchObject({ kfrags: 0 });
		expect(proxyFiles(id).tombstones).toBeGreaterThanOrEqual(3);
		const page = await openLinkPage(url);
		await page.getByRole("heading", { name: "This link was revoked" }).waitFor();
		await backToVault();
	});

	it("malformed links get a clear page without any request; the API refuses bad input", async () => {
		const valid = randomUUID();
		const secret = Buffer.from(randomBytes(32)).toString("base64url");
		for (const address of [
			`/s/not-a-link#${secret}`,
			`/s/${valid}#${secret.slice(0, 20)}`,
			`/s/${valid}`,
			`/s/${valid.toUpperCase()}#${secret}`,
			`/s/${valid}#${secret}%00`,
		]) {
			const asked: string[] = [];
			const page = await openLinkPage(`${baseUrl}${address}`, (request) => {
				if (request.url().includes("/api/trpc/links")) asked.push(request.url());
			});
			await page.getByRole("heading", { name: "This link is not valid" }).waitFor();
			expect(await problemOf(page)).toMatch(/incomplete or damaged/);
			expect(asked).toEqual([]);
		}
		const unknown = await openLinkPage(`${baseUrl}/s/${valid}#${secret}`);
		await unknown.getByRole("heading", { name: "Link not found" }).waitFor();

		const open = (id: unknown) =>
			fetch(
				`${baseUrl}/api/trpc/links.open?input=${encodeURIComponent(JSON.stringify({ json: { id } }))}`,
			);
		for (const id of ["nope", "", 7, "a".repeat(5000), `${valid}\u0000`])
			expect((await open(id)).status).toBe(400);
		expect((await open(valid)).status).toBe(200);
		const versions = await fetch(
			`${baseUrl}/api/trpc/links.versions?input=${encodeURIComponent(
				JSON.stringify({ json: { id: valid, proof: "AAAAAAAAAAAAAAAAAAAAAAAAAAAA" } }),
			)}`,
		);
		expect([403, 404]).toContain(versions.status);
		const shard = (query: string, proof?: string) =>
			fetch(`${baseUrl}/api/chunks/${randomUUID()}/0/0?${query}`, {
				headers: proof ? { "x-coffre-link-proof": proof } : {},
			});
		expect((await shard("link=garbage")).status).toBe(400);
		expect((await shard(`link=${valid}`)).status).toBe(403);
		expect([403, 404]).toContain(
			(await shard(`link=${valid}`, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).status,
		);
		// The server still answers.
		expect((await open(valid)).status).toBe(200);
	});

	it("a link past its expiry is refused, and the proxies delete its kfrags", async () => {
		const { url, id } = await createLink("expired", { expiry: "1 hour" });
		expect(proxyFiles(id).kfrags).toBe(5);
		try {
			await setClockOffset(clockFile, 2 * HOUR);
			const page = await openLinkPage(url);
			await page.getByRole("heading", { name: "This link has expired" }).waitFor();
			expect(await problemOf(page)).toMatch(/has expired/);
			// The server forgot the link's keys and policy at once; only its state stays.
			const dump = await dumpDatabase(databaseUrl);
			const row = dump.split("\n").find((line) => line.startsWith(`shares: {"id":"${id}"`));
			expect(row).toMatch(/"state":"expired"/);
			expect(row).toMatch(/"policy":null/);
			expect(row).toMatch(/"capsule":null/);
			// The honest proxies' own sweep (every minute) deletes the kfrags.
			await expect.poll(() => proxyFiles(id).kfrags, { timeout: 150_000, interval: 1_000 }).toBe(0);
		} finally {
			await setClockOffset(clockFile, 0);
		}
	}, 300_000);

	it("no link secret, password or link key reaches the database, logs, node disks or requests", async () => {
		expect(Object.keys(secrets).length).toBeGreaterThanOrEqual(15);
		const dump = await dumpDatabase(databaseUrl);
		expect(findSecrets(dump, secrets)).toEqual([]);
		expect(passwords.filter((password) => dump.includes(password))).toEqual([]);
		const scan = (root: string) => {
			const files = readTree(root);
			return Object.entries(secrets)
				.filter(([, bytes]) =>
					[Buffer.from(bytes), ...encodingsOf(bytes).map((text) => Buffer.from(text))].some(
						(needle) => files.some(([, content]) => content.includes(needle)),
					),
				)
				.map(([label]) => label);
		};
		expect(existsSync(join(dataDir, "logs", "web.log"))).toBe(true);
		expect(scan(join(dataDir, "logs"))).toEqual([]);
		expect(scan(join(dataDir, "nodes"))).toEqual([]);

		const requests = await Promise.all(sent);
		expect(requests.length).toBeGreaterThan(50);
		// No request carries a Referer (Referrer-Policy: no-referrer) …
		expect(requests.filter((request) => request.headers.referer).map((r) => r.url)).toEqual([]);
		// … and none carries a secret in its URL, body or headers.
		const leaked = requests.flatMap((request) => {
			const text = [request.url, request.body.toString("latin1"), JSON.stringify(request.headers)]
				.join("\n")
				.toLowerCase();
			const typed = passwords.some((password) => text.includes(password.toLowerCase()));
			return (typed ? [`a password in ${request.url.slice(0, 80)}`] : []).concat(
				Object.entries(secrets)
					.filter(([, bytes]) =>
						encodingsOf(bytes).some((encoding) => text.includes(encoding.toLowerCase())),
					)
					.map(([label]) => `${label} in ${request.url.slice(0, 80)}`),
			);
		});
		expect(leaked).toEqual([]);
		expect(ownerErrors).toEqual([]);
	});
});
