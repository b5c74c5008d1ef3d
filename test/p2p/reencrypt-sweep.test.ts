// The re-encryption proxy's clock-driven housekeeping on in-process storage nodes with an
// injected clock: the periodic sweep and `sweepExpired()` delete expired kfrags (leaving
// tombstones that keep refusing, then go after their grace period), the kfrag cap is enforced,
// and a crash between writing a tombstone and deleting the kfrag resolves to the tombstone.
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey } from "@libp2p/interface";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { Libp2p } from "libp2p";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharePolicyHash } from "../../crypto/sharing";
import { createClientNode } from "../../p2p/node/client-node";
import { createStorageNode, type StorageNode } from "../../p2p/node/storage-node";
import { requestCFrag, storeKFrag } from "../../p2p/protocols/reencrypt/client";
import { EXPIRED_TOMBSTONE_GRACE_MS, openKFragStore } from "../../p2p/proxy/kfrag-store";
import { toHex } from "../../p2p/wire/hex";
import {
	type CoordinatorSigner,
	createCoordinatorSigner,
} from "../../server/coordinator/coordinator";
import { makeShare, requestFor, sealedFor, type TestShare } from "./fixtures/share";

const HOUR = 3_600_000;

let dir: string;
let client: Libp2p;
let coordinator: CoordinatorSigner;
let clock = Date.now();
const nodes: StorageNode[] = [];

async function startNode(name: string, options: { sweepMs: number; maxKFrags?: number }) {
	const encryptionSecretKey = secp256k1.utils.randomSecretKey();
	const node = await createStorageNode({
		dataDir: join(dir, name),
		capacityBytes: 2 ** 20,
		privateKey: (await generateKeyPair("Ed25519")) as Ed25519PrivateKey,
		encryptionSecretKey,
		coordinatorPublicKey: coordinator.publicKey,
		listen: ["/ip4/127.0.0.1/tcp/0"],
		now: () => clock,
		kfragSweepIntervalMs: options.sweepMs,
		...(options.maxKFrags ? { maxKFrags: options.maxKFrags } : {}),
	});
	await node.start();
	nodes.push(node);
	return { node, key: secp256k1.getPublicKey(encryptionSecretKey, true) };
}

type Proxy = Awaited<ReturnType<typeof startNode>>;

function store(share: TestShare, proxy: Proxy) {
	const node = proxy.node.peerId.toString();
	return storeKFrag(client, proxy.node.libp2p.getMultiaddrs()[0]!, {
		policy: share.signedPolicy,
		sealedKFrag: sealedFor(share, 0, proxy.key),
		// The coordinator's clock is the real one: give the ticket room for the moved node clock.
		ticket: coordinator.signKFragTicket({
			shareId: share.policy.shareId,
			policyHash: sharePolicyHash(share.signedPolicy),
			node,
			ttlMs: 400 * 24 * HOUR,
		}),
	});
}

function ask(share: TestShare, proxy: Proxy) {
	const request = requestFor(share, proxy.node.peerId.toString(), clock);
	return requestCFrag(client, proxy.node.libp2p.getMultiaddrs()[0]!, request);
}

const kfragFile = (share: TestShare, proxy: Proxy) =>
	proxy.node.kfrags.kfragPath(toHex(share.policy.shareId));

const exists = (path: string) =>
	access(path).then(
		() => true,
		() => false,
	);

async function failure(promise: Promise<unknown>): Promise<Error & { statusName?: string }> {
	try {
		await promise;
	} catch (error) {
		return error as Error & { statusName?: string };
	}
	throw new Error("expected a refusal");
}

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), "coffre-proxy-"));
	coordinator = createCoordinatorSigner();
	client = await createClientNode();
});

afterAll(async () => {
	await Promise.all(nodes.map((n) => n.stop()));
	await client?.stop();
	if (dir) await rm(dir, { recursive: true, force: true });
});

describe("expiry sweep", () => {
	it("the periodic sweep deletes an expired kfrag once the node's clock passes its expiry", async () => {
		const proxy = await startNode("periodic", { sweepMs: 50 });
		const share = makeShare(clock, { expiresAt: clock + HOUR });
		await store(share, proxy);
		expect(await ask(share, proxy)).toHaveLength(381);
		expect(proxy.node.status().kfrags).toBe(1);
		clock += 2 * HOUR;
		await expect.poll(() => exists(kfragFile(share, proxy)), { timeout: 30_000 }).toBe(false);
		expect(proxy.node.status().kfrags).toBe(0);
		expect((await failure(ask(share, proxy))).name).toBe("ShareExpiredError");
	});

	it("sweepExpired() deletes only expired kfrags, and tombstones after their grace period", async () => {
		const proxy = await startNode("manual", { sweepMs: 24 * HOUR });
		const short = makeShare(clock, { expiresAt: clock + HOUR });
		const long = makeShare(clock, { expiresAt: clock + 10 * 24 * HOUR });
		await store(short, proxy);
		await store(long, proxy);
		expect(await proxy.node.kfrags.sweepExpired()).toBe(0);
		clock += 2 * HOUR;
		expect(await proxy.node.kfrags.sweepExpired()).toBe(1);
		expect(await exists(kfragFile(short, proxy))).toBe(false);
		expect(await exists(kfragFile(long, proxy))).toBe(true);
		expect(proxy.node.kfrags.tombstoneCount).toBe(1);
		expect((await failure(ask(short, proxy))).name).toBe("ShareExpiredError");
		clock += EXPIRED_TOMBSTONE_GRACE_MS;
		await proxy.node.kfrags.sweepExpired();
		expect(proxy.node.kfrags.tombstoneCount).toBe(0);
		expect((await failure(ask(short, proxy))).name).toBe("UnknownShareError");
		clock -= EXPIRED_TOMBSTONE_GRACE_MS + 2 * HOUR;
		expect(await ask(long, proxy)).toHaveLength(381);
	});
});

describe("kfrag store limits and crash safety", () => {
	it("refuses kfrags beyond the node's cap with CAPACITY_FULL", async () => {
		const proxy = await startNode("capped", { sweepMs: 24 * HOUR, maxKFrags: 2 });
		await store(makeShare(clock), proxy);
		await store(makeShare(clock), proxy);
		const refused = await failure(store(makeShare(clock), proxy));
		expect(refused.statusName).toBe("CAPACITY_FULL");
	});

	it("a crash between writing the tombstone and deleting the kfrag leaves the share retired", async () => {
		const storeDir = join(dir, "crash");
		const kfrags = await openKFragStore({ dir: storeDir, maxEntries: 10, now: () => clock });
		const hex = toHex(crypto.getRandomValues(new Uint8Array(16)));
		const stored = {
			policy: new Uint8Array(268),
			sealedKFrag: new Uint8Array(456),
			uses: 3,
			expiresAt: clock + HOUR,
			verifyingPk: new Uint8Array(33),
		};
		await kfrags.add(hex, stored);
		const bytes = await readFile(kfrags.kfragPath(hex));
		await kfrags.retire(hex, {
			reason: "revoked",
			until: clock + HOUR,
			verifyingPk: stored.verifyingPk,
		});
		// The kfrag file as it was before the deletion the crash interrupted.
		await writeFile(kfrags.kfragPath(hex), bytes);
		const reopened = await openKFragStore({ dir: storeDir, maxEntries: 10, now: () => clock });
		expect(reopened.state(hex)).toMatchObject({
			kind: "retired",
			tombstone: { reason: "revoked" },
		});
		expect(await exists(reopened.kfragPath(hex))).toBe(false);
		expect(reopened.count).toBe(0);
	});
});
