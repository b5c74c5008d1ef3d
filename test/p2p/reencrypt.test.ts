// /coffre/reencrypt/1.0.0 on real storage nodes (child processes on 127.0.0.1), DESIGN §7:
// an owner stores 3-of-5 kfrags sealed to five nodes, a recipient asks them for cfrags and opens
// the secret — also with one proxy lying and one down, and not with only two honest ones.
// Expiry (moved clock), not-before, use limits and revocation are enforced and delete kfrag
// files; kfrags and counters survive a SIGKILL; forged, replayed, misaddressed and garbage
// input is refused with its own status while every node keeps serving.
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Stream } from "@libp2p/interface";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey } from "../../crypto/keys";
import {
	openShare,
	type SharePolicy,
	SIGNED_SHARE_POLICY_BYTES,
	sharePolicyHash,
} from "../../crypto/sharing";
import { CapsuleFrag, encrypt, SecretKey, Signer } from "../../crypto/umbral";
import { requestCFrag, revokeShare, storeKFrag } from "../../p2p/protocols/reencrypt/client";
import { REENCRYPT_PROTOCOL } from "../../p2p/protocols/reencrypt/constants";
import { signKFragTicket } from "../../p2p/protocols/reencrypt/ticket";
import { decodeMessage, encodeMessage } from "../../p2p/wire/cbor";
import { FrameReader } from "../../p2p/wire/frame-reader";
import { toHex } from "../../p2p/wire/hex";
import { callProtocol, sendFrame } from "../../p2p/wire/rpc";
import type { SignedEnvelope } from "../../p2p/wire/signed";
import { generateSigningKeys } from "../../p2p/wire/signed";
import { Status } from "../../p2p/wire/status";
import { TestNetwork } from "../helpers/test-network";
import { makeShare, requestFor, revocationOf, sealedFor, type TestShare } from "./fixtures/share";

const HOUR = 3_600_000;
const LIAR = 5;

let net: TestNetwork;
const proxyKeys: Uint8Array[] = [];
let clockOffset = 0;

/** The nodes' current time (they all read the same clock offset). */
const nodeNow = () => Date.now() + clockOffset;

async function moveClock(ms: number) {
	clockOffset = ms;
	await net.setClockOffset(ms);
}

const peer = (index: number) => net.nodes[index]?.peerId.toString() as string;

function ticketFor(share: TestShare, index: number, ttlMs?: number): SignedEnvelope {
	return net.coordinator.signKFragTicket({
		shareId: share.policy.shareId,
		policyHash: sharePolicyHash(share.signedPolicy),
		node: peer(index),
		...(ttlMs ? { ttlMs } : {}),
	});
}

/** Stores kfrag `kfragIndex` of `share` on node `index`, sealed to that node. */
function store(
	share: TestShare,
	kfragIndex: number,
	index: number,
	ticket = ticketFor(share, index),
) {
	return storeKFrag(net.client, net.address(index), {
		policy: share.signedPolicy,
		sealedKFrag: sealedFor(share, kfragIndex, proxyKeys[index] as Uint8Array),
		ticket,
	});
}

/** Stores kfrag i of `share` on `nodes[i]`. */
async function place(share: TestShare, nodes: number[]) {
	await Promise.all(nodes.map((node, i) => store(share, i, node)));
}

function ask(share: TestShare, index: number, request = requestFor(share, peer(index), nodeNow())) {
	return requestCFrag(net.client, net.address(index), request);
}

async function failure(promise: Promise<unknown>): Promise<Error & { statusName?: string }> {
	try {
		await promise;
	} catch (error) {
		return error as Error & { statusName?: string };
	}
	throw new Error("expected a refusal");
}

const kfragFile = (share: TestShare, index: number) =>
	join(
		net.nodes[index]?.dataDir as string,
		"proxy",
		"kfrags",
		`${toHex(share.policy.shareId)}.kfrag`,
	);

const exists = (path: string) =>
	access(path).then(
		() => true,
		() => false,
	);

function open(share: TestShare, cfrags: Uint8Array[]) {
	return openShare({
		policy: share.policy,
		capsule: share.capsule,
		ciphertext: share.ciphertext,
		receivingSk: share.receivingSk,
		cfrags,
	});
}

beforeAll(async () => {
	net = await TestNetwork.start(5);
	await net.addNode({ faults: ["wrong-cfrags"] });
	for (let i = 0; i < net.nodes.length; i++) proxyKeys.push(await net.encryptionPublicKey(i));
});

afterAll(async () => {
	await net?.stop();
});

describe("sharing a secret through five proxies", () => {
	it("stores sealed kfrags on five nodes; the recipient verifies three or more cfrags and opens", async () => {
		const share = makeShare(nodeNow());
		await place(share, [0, 1, 2, 3, 4]);
		const cfrags = await Promise.all([0, 1, 2, 3, 4].map((i) => ask(share, i)));
		for (const bytes of cfrags) {
			expect(() =>
				CapsuleFrag.fromBytes(bytes).verify(
					share.capsule,
					share.policy.verifyingPk,
					share.policy.delegatingPk,
					share.policy.receivingPk,
				),
			).not.toThrow();
		}
		expect(open(share, cfrags.slice(1, 4))).toEqual(share.secret);
		// Kfrags rest sealed: the file holds the sealed bytes, never the kfrag itself.
		const file = await readFile(kfragFile(share, 0));
		expect(Buffer.from(file).includes(Buffer.from(share.kfrags[0]?.toBytes() as Uint8Array))).toBe(
			false,
		);
	});

	it("opens with three honest proxies while one lies and one is down; not with two honest", async () => {
		const share = makeShare(nodeNow());
		await place(share, [0, 1, 2, LIAR, 4]);
		await net.kill(4);
		try {
			const answers = await Promise.allSettled([0, 1, 2, LIAR, 4].map((i) => ask(share, i)));
			expect(answers[4]?.status).toBe("rejected");
			const returned = answers.flatMap((a) => (a.status === "fulfilled" ? [a.value] : []));
			expect(returned).toHaveLength(4);
			// The lie is well-formed but does not verify for this capsule.
			const lie = (answers[3] as PromiseFulfilledResult<Uint8Array>).value;
			expect(() =>
				CapsuleFrag.fromBytes(lie).verify(
					share.capsule,
					share.policy.verifyingPk,
					share.policy.delegatingPk,
					share.policy.receivingPk,
				),
			).toThrow(expect.objectContaining({ name: "UmbralVerificationError" }));
			expect(open(share, returned)).toEqual(share.secret);
			const twoHonest = [returned[0], returned[1], lie] as Uint8Array[];
			expect(() => open(share, twoHonest)).toThrow(
				expect.objectContaining({ name: "NotEnoughCFragsError", valid: 2, threshold: 3 }),
			);
		} finally {
			await net.restart(4);
		}
		// The killed node kept its kfrag and serves it after the restart.
		expect(await ask(share, 4)).toHaveLength(381);
	});
});

describe("policy enforcement", () => {
	it("refuses after expiry, deletes the kfrag, and keeps refusing (moved clock)", async () => {
		const share = makeShare(nodeNow(), { expiresAt: nodeNow() + HOUR });
		await place(share, [0, 1, 2]);
		expect(await ask(share, 0)).toHaveLength(381);
		await moveClock(2 * HOUR);
		try {
			for (const index of [0, 1]) {
				expect(await exists(kfragFile(share, index))).toBe(true);
				expect((await failure(ask(share, index))).name).toBe("ShareExpiredError");
				expect(await exists(kfragFile(share, index))).toBe(false);
				expect((await failure(ask(share, index))).name).toBe("ShareExpiredError");
			}
			const again = await failure(store(share, 0, 0, ticketFor(share, 0, 3 * HOUR)));
			expect(again.name).toBe("ShareExpiredError");
		} finally {
			await moveClock(0);
		}
	});

	it("refuses before notBefore and serves once it has passed", async () => {
		const share = makeShare(nodeNow(), { notBefore: nodeNow() + HOUR });
		await place(share, [0]);
		expect((await failure(ask(share, 0))).name).toBe("ShareNotYetValidError");
		await moveClock(HOUR + 60_000);
		try {
			expect(await ask(share, 0)).toHaveLength(381);
		} finally {
			await moveClock(0);
		}
	});

	it("serves exactly useLimit times per proxy, then refuses and deletes the kfrag", async () => {
		const share = makeShare(nodeNow(), { useLimit: 2 });
		await place(share, [0]);
		expect(await ask(share, 0)).toHaveLength(381);
		expect(await exists(kfragFile(share, 0))).toBe(true);
		expect(await ask(share, 0)).toHaveLength(381);
		expect(await exists(kfragFile(share, 0))).toBe(false);
		const refused = await failure(ask(share, 0));
		expect(refused.name).toBe("UseLimitReachedError");
		expect(refused.statusName).toBe("USE_LIMIT_REACHED");
	});

	it("revokes on the share signer's word only: refused, file deleted, re-store refused, idempotent", async () => {
		const share = makeShare(nodeNow());
		await place(share, [0, 1]);
		const stranger = new Signer(SecretKey.random());
		expect(
			(await failure(revokeShare(net.client, net.address(0), revocationOf(share, stranger)))).name,
		).toBe("BadRequestSignatureError");
		expect(await ask(share, 0)).toHaveLength(381);
		await revokeShare(net.client, net.address(0), revocationOf(share));
		expect(await exists(kfragFile(share, 0))).toBe(false);
		expect((await failure(ask(share, 0))).name).toBe("ShareRevokedError");
		expect((await failure(store(share, 0, 0))).name).toBe("ShareRevokedError");
		await revokeShare(net.client, net.address(0), revocationOf(share));
		// Node 1 was not told: it still serves (revocation is per proxy).
		expect(await ask(share, 1)).toHaveLength(381);
		const unknown = makeShare(nodeNow());
		expect(
			(await failure(revokeShare(net.client, net.address(0), revocationOf(unknown)))).name,
		).toBe("UnknownShareError");
	});

	it("keeps kfrags and use counters across a SIGKILL and restart", async () => {
		const share = makeShare(nodeNow(), { useLimit: 3 });
		await place(share, [0, 1, 2, 3]);
		expect(await ask(share, 3)).toHaveLength(381);
		expect(await ask(share, 3)).toHaveLength(381);
		await net.kill(3, "SIGKILL");
		await net.restart(3);
		expect(await ask(share, 3)).toHaveLength(381);
		expect((await failure(ask(share, 3))).name).toBe("UseLimitReachedError");
	});
});

describe("refusals of bad requests", () => {
	let share: TestShare;
	beforeAll(async () => {
		share = makeShare(nodeNow());
		await place(share, [0, 1]);
	});

	it("refuses forged, replayed, stale, misaddressed and wrong-capsule requests", async () => {
		const forged = requestFor(share, peer(0), nodeNow(), generateSigningKey());
		expect((await failure(ask(share, 0, forged))).name).toBe("BadRequestSignatureError");

		const unsigned = requestFor(share, peer(0), nodeNow()).slice();
		unsigned.fill(0, unsigned.length - 64);
		expect((await failure(ask(share, 0, unsigned))).name).toBe("BadRequestSignatureError");

		const once = requestFor(share, peer(0), nodeNow());
		expect(await ask(share, 0, once)).toHaveLength(381);
		const replayed = await failure(ask(share, 0, once));
		expect(replayed.name).toBe("ReplayedRequestError");
		expect(replayed.statusName).toBe("REPLAYED");

		const stale = await failure(ask(share, 0, requestFor(share, peer(0), nodeNow() - 10 * 60_000)));
		expect(stale.statusName).toBe("STALE_REQUEST");

		const forNodeOne = requestFor(share, peer(1), nodeNow());
		expect((await failure(ask(share, 0, forNodeOne))).name).toBe("WrongProxyError");
		// The same request still works where it was meant to go.
		expect(await ask(share, 1, forNodeOne)).toHaveLength(381);

		const other = makeShare(nodeNow());
		const wrongCapsule = requestFor(
			{ ...share, capsule: encrypt(share.policy.delegatingPk, new Uint8Array(32)).capsule },
			peer(0),
			nodeNow(),
		);
		expect((await failure(ask(share, 0, wrongCapsule))).name).toBe("WrongCapsuleError");
		expect((await failure(ask(other, 0))).name).toBe("UnknownShareError");
		const garbage = await failure(ask(share, 0, crypto.getRandomValues(new Uint8Array(300))));
		expect(garbage.statusName).toBe("BAD_REQUEST");
	});

	it("refuses policies signed by the wrong key, foreign kfrags, and bad or missing tickets", async () => {
		const other = makeShare(nodeNow());
		// A policy whose signature is by another key than its verifying key.
		const forgedPolicy = Uint8Array.from(other.signedPolicy);
		forgedPolicy.set(
			share.signedPolicy.subarray(SIGNED_SHARE_POLICY_BYTES - 64),
			SIGNED_SHARE_POLICY_BYTES - 64,
		);
		const forged = { ...other, signedPolicy: forgedPolicy };
		expect((await failure(store(forged, 0, 2))).name).toBe("BadSharePolicyError");

		// Kfrags made for another recipient than the policy names.
		const foreign = makeShare(nodeNow(), {}, { kfragRecipient: SecretKey.random().publicKey() });
		expect((await failure(store(foreign, 0, 2))).name).toBe("BadKFragError");

		// A kfrag sealed to node 1, sent to node 2.
		const misSealed = storeKFrag(net.client, net.address(2), {
			policy: other.signedPolicy,
			sealedKFrag: sealedFor(other, 0, proxyKeys[1] as Uint8Array),
			ticket: ticketFor(other, 2),
		});
		expect((await failure(misSealed)).name).toBe("BadKFragError");

		// Tickets: forged, for another node, for another policy, missing.
		const forgedTicket = signKFragTicket(
			{
				shareId: other.policy.shareId,
				policyHash: sharePolicyHash(other.signedPolicy),
				node: peer(2),
				expiresAt: Date.now() + HOUR,
			},
			generateSigningKeys().secretKey,
		);
		const badTickets = [
			[forgedTicket, "BAD_SIGNATURE"],
			[ticketFor(other, 1), "TICKET_MISMATCH"],
			[ticketFor(share, 2), "TICKET_MISMATCH"],
		] as const;
		for (const [ticket, status] of badTickets) {
			const refused = await failure(store(other, 0, 2, ticket));
			expect(refused.name).toBe("BadKFragTicketError");
			expect(refused.statusName).toBe(status);
		}
		const missing = await failure(
			callProtocol(
				net.client,
				net.address(2),
				REENCRYPT_PROTOCOL,
				{
					v: 1,
					op: "store",
					policy: other.signedPolicy,
					sealedKFrag: sealedFor(other, 0, proxyKeys[2] as Uint8Array),
				},
				{ timeoutMs: 10_000, maxResponseBytes: 8192 },
			),
		);
		expect(missing.statusName).toBe("BAD_REQUEST");
		expect(await exists(kfragFile(other, 2))).toBe(false);

		// Once stored, the same share cannot be stored again; too-long and expired policies are refused.
		await store(other, 0, 2);
		expect((await failure(store(other, 1, 2))).name).toBe("ShareExistsError");
		const tooLong = makeShare(nodeNow(), { expiresAt: nodeNow() + 500 * 24 * HOUR });
		expect((await failure(store(tooLong, 0, 2))).name).toBe("BadSharePolicyError");
		const expired = makeShare(nodeNow(), {
			expiresAt: nodeNow() - 1,
			notBefore: 0,
		} as Partial<SharePolicy>);
		expect((await failure(store(expired, 0, 2))).name).toBe("ShareExpiredError");
	});

	it("answers garbage frames with BAD_REQUEST or TOO_LARGE and keeps serving", async () => {
		const frames = [
			crypto.getRandomValues(new Uint8Array(100)),
			encodeMessage({ v: 2, op: "store" }),
			encodeMessage({ v: 1, op: "explode" }),
			encodeMessage({ v: 1, op: "reencrypt", request: "text" }),
			encodeMessage([1, 2, 3]),
		];
		const stream: Stream = await net.client.dialProtocol(net.address(0), REENCRYPT_PROTOCOL, {
			signal: AbortSignal.timeout(10_000),
		});
		const reader = new FrameReader(stream);
		const signal = AbortSignal.timeout(20_000);
		const statuses: number[] = [];
		for (const frame of frames) {
			await sendFrame(stream, frame, signal);
			const answer = decodeMessage((await reader.readFrame(8192)) as Uint8Array) as {
				status: number;
			};
			statuses.push(answer.status);
		}
		await sendFrame(stream, new Uint8Array(64 * 1024), signal);
		const tooLarge = decodeMessage((await reader.readFrame(8192)) as Uint8Array) as {
			status: number;
		};
		await stream.close().catch(() => undefined);
		await reader.close();
		expect(statuses).toEqual([
			Status.BAD_REQUEST,
			Status.UNSUPPORTED_VERSION,
			Status.BAD_REQUEST,
			Status.BAD_REQUEST,
			Status.BAD_REQUEST,
		]);
		expect(tooLarge.status).toBe(Status.TOO_LARGE);
		// Every node still serves after all of the above.
		expect(await ask(share, 0)).toHaveLength(381);
		expect(await ask(share, 1)).toHaveLength(381);
	});
});
