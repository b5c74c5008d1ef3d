// Sharing performance (issue 9), against the whole system (database, coordinator, 6 local storage
// nodes, the production web app) and headless Chromium:
// 1. Time to first byte of a 16 MiB file: a link download — a fresh browser context without an
//    account, from navigating to the link (page load, proxies, manifest, the click on Download
//    included) to the first plaintext byte handed to the browser's download — against the
//    owner's own download in the same run, from the click on Download to that first byte;
//    and the link's own click → first byte against the same reference, measured alike.
//    Runs alternate owner and link so load changes on this shared machine hit both alike; one
//    warm-up of each is not counted (the owner's first download registers the download worker
//    once for good; every link run is a fresh context and registers it again, as a recipient
//    would). The first byte is observed in the page (bench/first-byte.ts), not in product code.
// 2. Share creation (3-of-5) of one file and of a folder holding 1,000 items, timed in Node as
//    `prepareShare` (client/sharing/share-core.ts, the browser's code) + `shares.create` over the
//    HTTP API with the owner's session. The key tree makes a folder one share of the folder's
//    NodeKey, whatever lies below; the figure shows that its cost does not grow with the items.
// Every download is checked against the uploaded bytes: a run that moves wrong bytes throws.
import { createHash, randomUUID } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import type { Browser, Download } from "playwright-core";
import { prepareShare, SHARE_PROXIES, SHARE_THRESHOLD } from "../client/sharing/share-core";
import { fromBase64url, generateKey, toBase64url, verifyPublicIdentity } from "../crypto";
import { progress, withBenchSystem } from "./bench-system";
import { readFirstByte, resetFirstByte, watchFirstByteIn, watchFirstByteOn } from "./first-byte";
import { type BenchFigure, median, randomBytes } from "./harness";
import { type HeadlessVault, openVaultAsNewUser } from "./headless-vault";
import { type SessionApi, sessionApiOf } from "./session-api";

const MiB = 2 ** 20;
const FILE_BYTES = 16 * MiB;
const FILE_NAME = "share-bench-16m.bin";
/** Measured pairs (owner download, link download); the medians are reported. */
const FIRST_BYTE_RUNS = 5;
/** Measured shares of each kind (file, folder), alternating; the medians are reported. */
const SHARE_RUNS = 7;
const FOLDER_ITEMS = 1_000;
/** Folders created per batched API request while filling the shared folder. */
const CREATE_BATCH = 50;
/** Longest one step (a page to open, a download to finish) may take on a busy machine. */
const STEP_TIMEOUT_MS = 10 * 60_000;
const DAY_MS = 24 * 3_600_000;

export class ShareBenchError extends Error {
	override name = "ShareBenchError";
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const listMs = (samples: number[]) => samples.map((value) => value.toFixed(0)).join(", ");
const loadNow = () =>
	loadavg()
		.map((load) => load.toFixed(2))
		.join(" ");

/** Checks a finished browser download against the uploaded file's SHA-256, then deletes it. */
async function checkDownload(download: Download, sha256: string): Promise<void> {
	const failure = await download.failure();
	if (failure) throw new ShareBenchError(`A download of ${FILE_NAME} failed: ${failure}`);
	const path = await download.path();
	const got = createHash("sha256")
		.update(await readFile(path))
		.digest("hex");
	await download.delete();
	if (got !== sha256)
		throw new ShareBenchError(
			`A download returned other bytes than ${FILE_NAME}: the run is void.`,
		);
}

/** The first-byte marks of a finished download, or an error when the page saw none. */
function firstByteOf(marks: { lastClickAt?: number; firstChunkAt?: number }) {
	const { lastClickAt, firstChunkAt } = marks;
	if (lastClickAt === undefined || firstChunkAt === undefined)
		throw new ShareBenchError(
			"The page did not stream the download through its download worker: no first byte to time.",
		);
	return { clickAt: lastClickAt, firstChunkAt };
}

/** The owner's download: ms from the click on Download to the first plaintext byte delivered. */
async function ownerFirstByte(vault: HeadlessVault, sha256: string): Promise<number> {
	await resetFirstByte(vault.page);
	const { download } = await vault.download(FILE_NAME);
	await checkDownload(download, sha256);
	const { clickAt, firstChunkAt } = firstByteOf(await readFirstByte(vault.page));
	return firstChunkAt - clickAt;
}

/** Where a link page's time went, in ms since its navigation started. */
interface LinkTimeline {
	/** The first plaintext byte posted to the download worker: the figure. */
	firstByte: number;
	/** The click on Download (the page had opened the link and showed the file). */
	opened: number;
	/** The page's load event ended (HTML, scripts, styles). */
	loaded: number;
	/** The re-encryption call through the proxies (links.reencrypt) ended. */
	reencrypted: number;
}

/** The end of the page's load event and of its links.reencrypt call, from its own timings. */
const PAGE_TIMINGS_SCRIPT = `(() => {
	const navigation = performance.getEntriesByType("navigation")[0];
	const reencrypt = performance
		.getEntriesByType("resource")
		.find((entry) => entry.name.includes("/api/trpc/") && entry.name.includes("links.reencrypt"));
	return { loaded: navigation ? navigation.loadEventEnd : NaN, reencrypted: reencrypt ? reencrypt.responseEnd : NaN };
})()`;

/**
 * A recipient's download in a fresh context without an account: ms from the start of the
 * navigation to the link to the first plaintext byte delivered, with the steps on the way.
 */
async function linkFirstByte(browser: Browser, url: string, sha256: string): Promise<LinkTimeline> {
	const context = await browser.newContext({ acceptDownloads: true });
	try {
		await watchFirstByteIn(context);
		const page = await context.newPage();
		await page.goto(url);
		await page
			.getByRole("heading", { name: FILE_NAME, exact: true })
			.waitFor({ timeout: STEP_TIMEOUT_MS });
		const [download] = await Promise.all([
			page.waitForEvent("download", { timeout: STEP_TIMEOUT_MS }),
			page.getByRole("button", { name: "Download", exact: true }).click(),
		]);
		await checkDownload(download, sha256);
		const { clickAt, firstChunkAt } = firstByteOf(await readFirstByte(page));
		const steps = (await page.evaluate(PAGE_TIMINGS_SCRIPT)) as Omit<
			LinkTimeline,
			"firstByte" | "opened"
		>;
		return { firstByte: firstChunkAt, opened: clickAt, ...steps };
	} finally {
		await context.close();
	}
}

/** Makes a link without a download limit through the Get link dialog; returns its address. */
async function createLinkThroughUi(vault: HeadlessVault): Promise<string> {
	const { page } = vault;
	await page.getByRole("button", { name: `Get link to ${FILE_NAME}`, exact: true }).click();
	const dialog = page.getByRole("dialog");
	await dialog.getByRole("button", { name: "Create link" }).click();
	const field = dialog.getByLabel("Link", { exact: true });
	await field.waitFor({ timeout: STEP_TIMEOUT_MS });
	const url = await field.inputValue();
	await dialog.getByRole("button", { name: "Done" }).click();
	return url;
}

/** Bytes that stand for a sealed name or wrapped key: the server cannot tell them apart. */
const sealedStandIn = (size: number) => toBase64url(randomBytes(size));

/** A folder at the root of the owner's vault holding `items` folders; returns its id. */
async function createFolderOf(api: SessionApi, vaultId: string, items: number): Promise<string> {
	const folder = (node: { id: string; parentId: string | null }) =>
		api.vault.createFolder.mutate({
			vaultId,
			...node,
			sealedName: sealedStandIn(64),
			wrappedNodeKey: sealedStandIn(105),
		});
	const root = await folder({ id: randomUUID(), parentId: null });
	for (let made = 0; made < items; made += CREATE_BATCH) {
		const batch = Math.min(CREATE_BATCH, items - made);
		await Promise.all(
			Array.from({ length: batch }, () => folder({ id: randomUUID(), parentId: root.id })),
		);
	}
	return root.id;
}

interface ShareTiming {
	prepareMs: number;
	createMs: number;
}

/**
 * Times shares (3-of-5) from the owner to `recipient`, as the browser makes them: fresh proxies
 * (not timed), then prepareShare and shares.create (timed). The owner's AccountKey and the
 * item's NodeKey are fresh random keys here — the owner's real ones never leave their tab — and
 * the work is the same for any key: the same Umbral operations on 32 bytes, the same sizes sent.
 */
async function shareTimer(owner: SessionApi, recipient: SessionApi) {
	const ownerId = (await owner.identity.mine.query()).userId;
	const them = await recipient.identity.mine.query();
	const identity = verifyPublicIdentity(fromBase64url(them.publicIdentity));
	const accountKey = generateKey("AccountKey");
	return async (nodeId: string): Promise<ShareTiming> => {
		const proxies = await owner.shares.proxies.query({ count: SHARE_PROXIES });
		const nodeKey = generateKey("NodeKey");
		const started = performance.now();
		const prepared = prepareShare({
			owner: { userId: ownerId, accountKey },
			nodeKey,
			receivingPk: identity.encryptionPublicKey,
			requesterPk: identity.signingPublicKey,
			proxies,
			expiresAt: Date.now() + 7 * DAY_MS,
		});
		const preparedAt = performance.now();
		const made = await owner.shares.create.mutate({
			...prepared,
			nodeId,
			kind: "user",
			recipientId: them.userId,
		});
		const createdAt = performance.now();
		nodeKey.wipe();
		if (made.proxies < SHARE_THRESHOLD)
			throw new ShareBenchError(`A share reached only ${made.proxies} proxies.`);
		return { prepareMs: preparedAt - started, createMs: createdAt - preparedAt };
	};
}

export default async function shareBench(): Promise<BenchFigure[]> {
	return withBenchSystem(async ({ system, browser: openBrowser, scratchDir }) => {
		// Throwaway contexts: the owner, each link visitor and the recipient each have their own.
		const browser = await openBrowser();
		const newPerson = () => browser.newContext({ acceptDownloads: true });
		const loadAtStart = loadNow();
		const bytes = randomBytes(FILE_BYTES);
		const sha256 = createHash("sha256").update(bytes).digest("hex");
		const filePath = join(scratchDir, FILE_NAME);
		await writeFile(filePath, bytes);

		const owner = await openVaultAsNewUser(await newPerson(), system.url);
		progress(`signed up at ${system.url}`);
		const upload = await owner.upload(filePath, FILE_NAME);
		progress(`uploaded ${FILE_BYTES / MiB} MiB in ${ms(upload.ms)}`);
		await watchFirstByteOn(owner.page);
		const linkStarted = performance.now();
		const url = await createLinkThroughUi(owner);
		const linkUiMs = performance.now() - linkStarted;
		progress(`link made through the Get link dialog in ${ms(linkUiMs)}`);

		// 1. Time to first byte, owner and link alternating; the first pair warms up.
		const ownerSamples: number[] = [];
		const linkSamples: LinkTimeline[] = [];
		for (let run = 0; run <= FIRST_BYTE_RUNS; run++) {
			const ownerMs = await ownerFirstByte(owner, sha256);
			const link = await linkFirstByte(browser, url, sha256);
			progress(
				`${run === 0 ? "warm-up" : `run ${run}`}: owner ${ms(ownerMs)}, link ${ms(link.firstByte)} (opened at ${ms(link.opened)}) — load ${loadNow()}`,
			);
			if (run === 0) continue;
			ownerSamples.push(ownerMs);
			linkSamples.push(link);
		}
		const loadAfterDownloads = loadNow();

		// 2. Share creation through the API, with the owner's session, to a second person.
		const recipient = await openVaultAsNewUser(await newPerson(), system.url);
		const ownerApi = await sessionApiOf(owner.page.context(), system.url);
		const recipientApi = await sessionApiOf(recipient.page.context(), system.url);
		const vault = await ownerApi.vault.personal.query();
		if (!vault) throw new ShareBenchError("The owner has no personal vault.");
		const file = (await ownerApi.vault.list.query({ vaultId: vault.id, parentId: null })).find(
			(node) => node.kind === "file",
		);
		if (!file) throw new ShareBenchError(`${FILE_NAME} is not in the owner's vault.`);
		const filling = performance.now();
		const folderId = await createFolderOf(ownerApi, vault.id, FOLDER_ITEMS);
		const fillMs = performance.now() - filling;
		const below = await ownerApi.vault.list.query({ vaultId: vault.id, parentId: folderId });
		if (below.length !== FOLDER_ITEMS)
			throw new ShareBenchError(`The folder holds ${below.length} items, not ${FOLDER_ITEMS}.`);
		progress(`made a folder of ${FOLDER_ITEMS} items in ${ms(fillMs)}`);
		const timeShare = await shareTimer(ownerApi, recipientApi);
		const fileShares: ShareTiming[] = [];
		const folderShares: ShareTiming[] = [];
		for (let run = 0; run <= SHARE_RUNS; run++) {
			const ofFile = await timeShare(file.id);
			const ofFolder = await timeShare(folderId);
			if (run === 0) continue; // warm-up: first calls compile and connect
			fileShares.push(ofFile);
			folderShares.push(ofFolder);
		}
		// One share per folder share, whatever it holds: the server recorded nothing per item.
		const folderShareRows = (await ownerApi.shares.mine.query()).filter(
			(share) => share.node.id === folderId,
		).length;
		if (folderShareRows !== SHARE_RUNS + 1)
			throw new ShareBenchError(
				`${SHARE_RUNS + 1} folder shares left ${folderShareRows} share rows.`,
			);
		const loadAtEnd = loadNow();

		const total = (timing: ShareTiming) => timing.prepareMs + timing.createMs;
		const describeShares = (timings: ShareTiming[]) =>
			`median ${ms(median(timings.map(total)))} (medians of the parts: prepareShare ${ms(median(timings.map((t) => t.prepareMs)))}, shares.create ${ms(median(timings.map((t) => t.createMs)))}); runs: ${listMs(timings.map(total))}`;
		const fileShareMs = median(fileShares.map(total));
		const folderShareMs = median(folderShares.map(total));
		const ownerMs = median(ownerSamples);
		const linkMs = median(linkSamples.map((link) => link.firstByte));
		const linkStep = (step: (link: LinkTimeline) => number) => ms(median(linkSamples.map(step)));
		const shareSetting = `${SHARE_THRESHOLD}-of-${SHARE_PROXIES} proxies among 6 local nodes; timed in the bench process (Node) as prepareShare (the browser's code, with a fresh random AccountKey and NodeKey standing in for the owner's, which never leave their tab — the same work for any key) + shares.create over HTTP with the owner's session cookie (server checks the signed policy and stores one kfrag on each proxy); fresh proxies fetched before each share, not timed; a user share to a second signed-up person, since links share files only; file and folder shares alternate, ${SHARE_RUNS} each after one warm-up each`;
		return [
			{
				name: `link download time to first byte, ${FILE_BYTES / MiB} MiB`,
				unit: "ms",
				value: linkMs,
				reference: "owner's own download of the same file, same run",
				referenceValue: ownerMs,
				goal: 1.3,
				higherIsBetter: false,
				note: `Median of ${FIRST_BYTE_RUNS} alternating pairs after one warm-up pair. Link: a fresh browser context without an account, from the start of navigation to /s/<id>#<secret> (page load, link status, re-encryption by 3 of 5 proxies, manifest, download worker registration, the click on Download) to the first plaintext byte posted to the download worker; runs ${listMs(linkSamples.map((l) => l.firstByte))} ms. Link medians since navigation: page loaded ${linkStep((l) => l.loaded)}, proxies' re-encryption answered ${linkStep((l) => l.reencrypted)}, file shown and Download clicked ${linkStep((l) => l.opened)}, then click → first byte ${linkStep((l) => l.firstByte - l.opened)} (the owner's equivalent is the reference). Owner: unlocked vault tab, from the click on Download to the same moment; runs ${listMs(ownerSamples)} ms. Both observed in the page by timing the first "chunk" message to the download worker (no product hook); every download's bytes checked. Link made through the Get link dialog (no limit, 7 days) in ${ms(linkUiMs)}. Load average (1/5/15 min): ${loadAtStart} at start, ${loadAfterDownloads} after the downloads.`,
			},
			{
				name: `link download time to first byte from the click on Download, ${FILE_BYTES / MiB} MiB`,
				unit: "ms",
				value: median(linkSamples.map((link) => link.firstByte - link.opened)),
				reference: "owner's own download of the same file, same run",
				referenceValue: ownerMs,
				goal: 1.3,
				higherIsBetter: false,
				note: `The same runs as the figure above, both measured the same way: from the click on Download to the first plaintext byte posted to the download worker. The link page has already opened the link (page load, re-encryption, manifest) and readied the download while the person reads the file's name and size — ${linkStep((l) => l.opened)} after navigation — which the figure above includes and this one leaves out, as the owner's leaves out opening the vault. Link runs ${listMs(linkSamples.map((l) => l.firstByte - l.opened))} ms; owner runs ${listMs(ownerSamples)} ms.`,
			},
			{
				name: `share creation, one file (${SHARE_THRESHOLD}-of-${SHARE_PROXIES})`,
				unit: "ms",
				value: fileShareMs,
				reference: "itself: the reference for the folder figure",
				referenceValue: fileShareMs,
				goal: 1,
				higherIsBetter: false,
				note: `The ${FILE_BYTES / MiB} MiB file: ${describeShares(fileShares)}. ${shareSetting}. Load average at the end: ${loadAtEnd}.`,
			},
			{
				name: `share creation, folder of ${FOLDER_ITEMS.toLocaleString("en")} items (${SHARE_THRESHOLD}-of-${SHARE_PROXIES})`,
				unit: "ms",
				value: folderShareMs,
				reference: "share creation of one file, same run",
				referenceValue: fileShareMs,
				goal: 1.5,
				higherIsBetter: false,
				note: `Key tree: sharing a folder is ONE share of the folder's NodeKey — the items below are reached through their wrapped keys, so no per-item work (the server keeps ${folderShareRows} share rows for the ${SHARE_RUNS + 1} folder shares made, nothing per item). ${describeShares(folderShares)}. The folder holds ${FOLDER_ITEMS} folders created through vault.createFolder with random stand-in sealed names and wrapped keys in ${ms(fillMs)}. ${shareSetting}. Load average at the end: ${loadAtEnd}.`,
			},
		];
	});
}
