// Caller side of /coffre/shard/1.0.0, used by the coordinator, gateways, tests and benches.
// `putShard` and `getShard` use the streamed messages (./constants: v3 put, v2 get): the shard
// travels as one raw frame sent straight from the caller's buffer, and a get is hashed as it
// arrives.
// `getShard` checks the Merkle root of what comes back, so a lying node can never hand a caller
// wrong bytes: it gets ShardIntegrityError.
// Calls keep their stream to a node for the caller's next call to it (wire/stream-pool): no
// protocol negotiation round trip per shard while a gateway moves a file.
import type { PeerId } from "@libp2p/interface";
import type { Multiaddr } from "@multiformats/multiaddr";
import { encodeMessage } from "../../wire/cbor";
import { BadResponseError } from "../../wire/errors";
import { FrameTooLargeError, TruncatedFrameError } from "../../wire/frame-reader";
import { toHex } from "../../wire/hex";
import { ShardRootHasher } from "../../wire/native-merkle";
import {
	type Call,
	callProtocol,
	type Dialer,
	exchangeOnStream,
	readResponse,
	sendFrame,
	sendRawFrame,
} from "../../wire/rpc";
import type { SignedEnvelope } from "../../wire/signed";
import { streamPoolOf } from "../../wire/stream-pool";
import { MAX_FRAME_BYTES, MAX_SHARD_BYTES, STREAM_TIMEOUT_MS } from "../limits";
import {
	SHARD_EAGER_PUT_VERSION,
	SHARD_MESSAGE_VERSION,
	SHARD_PROTOCOL,
	SHARD_STREAM_VERSION,
} from "./constants";
import { ShardIntegrityError } from "./errors";

/** Per-call options. */
export interface CallOptions {
	timeoutMs?: number;
	signal?: AbortSignal;
	/** false: open a stream for this call alone, as if no earlier call had left one (default true). */
	reuseStream?: boolean;
}

type Target = PeerId | Multiaddr;

/** Each caller's streams to nodes are kept for its next calls (see wire/stream-pool). */
function callOptions(dialer: Dialer, options: CallOptions, maxResponseBytes: number) {
	return {
		timeoutMs: options.timeoutMs ?? STREAM_TIMEOUT_MS,
		maxResponseBytes,
		...(options.reuseStream === false ? {} : { pool: streamPoolOf(dialer) }),
		...(options.signal ? { signal: options.signal } : {}),
	};
}

function call(
	dialer: Dialer,
	peer: Target,
	request: Record<string, unknown>,
	options: CallOptions = {},
) {
	return callProtocol(
		dialer,
		peer,
		SHARD_PROTOCOL,
		{ v: SHARD_MESSAGE_VERSION, ...request },
		callOptions(dialer, options, MAX_FRAME_BYTES),
	);
}

/**
 * Runs one streamed exchange (put or get), turning framing failures into BadResponseError.
 * A failure on a reused stream is tried once more on a fresh one, unless the node refused or
 * sent wrong bytes.
 */
function streamedExchange<T>(
	dialer: Dialer,
	peer: Target,
	options: CallOptions,
	run: (call: Call) => Promise<T>,
): Promise<T> {
	return exchangeOnStream(
		dialer,
		peer,
		SHARD_PROTOCOL,
		callOptions(dialer, options, CONTROL_FRAME_BYTES),
		async (call) => {
			try {
				return await run(call);
			} catch (err) {
				throw err instanceof TruncatedFrameError || err instanceof FrameTooLargeError
					? new BadResponseError(`bad shard answer: ${err.message}`)
					: err;
			}
		},
		(err) => !(err instanceof ShardIntegrityError),
	);
}

/**
 * A shard's bytes for a put: one buffer, or the pieces it arrived in (a gateway sends an HTTP
 * body on as received, without joining it into one buffer first).
 */
export type ShardBody = Uint8Array | readonly Uint8Array[];

export function shardBodyLength(body: ShardBody): number {
	if (body instanceof Uint8Array) return body.length;
	let length = 0;
	for (const piece of body) length += piece.length;
	return length;
}

/** Largest control answer a streamed exchange accepts (headers, trailers, refusals). */
const CONTROL_FRAME_BYTES = 64 * 1024;

/**
 * Stores a shard on `peer` under a coordinator-signed ticket. The shard follows its ticket
 * without waiting (v3); the node checks the ticket before it reads any of it, and answers OK
 * only once the shard's root matched and it is on disk. A node that refuses, or already holds
 * the shard, answers at once and the rest is not sent. Nodes that only know the v2 put get it.
 * Refusals throw RemoteRefusedError (`statusName` CAPACITY_FULL, ROOT_MISMATCH, BAD_SIGNATURE,
 * EXPIRED …).
 * @example await putShard(libp2p, peerId, { ticket, data })
 */
export async function putShard(
	dialer: Dialer,
	peer: Target,
	args: { ticket: SignedEnvelope; data: ShardBody },
	options?: CallOptions,
): Promise<void> {
	const pieces = args.data instanceof Uint8Array ? [args.data] : args.data;
	const put = (version: number, rest: (call: Call) => Promise<void>) =>
		streamedExchange(dialer, peer, options ?? {}, async (call) => {
			const header = { v: version, op: "put", ticket: args.ticket };
			await sendFrame(call.stream, encodeMessage(header), call.signal);
			await rest(call);
		});
	try {
		await put(SHARD_EAGER_PUT_VERSION, (call) => sendBodyAtOnce(call, pieces));
	} catch (err) {
		if ((err as { statusName?: string }).statusName !== "UNSUPPORTED_VERSION") throw err;
		await put(SHARD_STREAM_VERSION, (call) => sendBodyOnContinue(call, pieces));
	}
}

/**
 * v3: the body right after the header; sending stops early when the node answers first (the
 * node then ends the stream, which is not reused).
 */
async function sendBodyAtOnce(call: Call, pieces: readonly Uint8Array[]): Promise<void> {
	const answered = new AbortController();
	const answer = readResponse(call.reader, CONTROL_FRAME_BYTES).finally(() => answered.abort());
	// Settled once the whole body went out, or once the node's early answer stopped it.
	const sending = sendRawFrame(
		call.stream,
		shardBodyLength(pieces),
		pieces,
		AbortSignal.any([call.signal, answered.signal]),
	).catch((err: unknown) => {
		if (!answered.signal.aborted) throw err;
		call.keepClosed();
	});
	// The node's answer, whenever it comes; a failure to send only if it came first.
	await Promise.race([answer, sending.then(() => answer)]);
}

/** v2 (nodes without v3): the body only after the node's "continue". */
async function sendBodyOnContinue(call: Call, pieces: readonly Uint8Array[]): Promise<void> {
	const ready = await readResponse(call.reader, CONTROL_FRAME_BYTES);
	// Already held there: the lease was extended and no bytes are needed.
	if (ready.continue !== true) return;
	await sendRawFrame(call.stream, shardBodyLength(pieces), pieces, call.signal);
	await readResponse(call.reader, CONTROL_FRAME_BYTES);
}

/** Extends a shard's lease on `peer` with a fresh ticket. */
export async function renewShard(
	dialer: Dialer,
	peer: Target,
	ticket: SignedEnvelope,
	options?: CallOptions,
) {
	await call(dialer, peer, { op: "renew", ticket }, options);
}

/**
 * Fetches a shard and checks it against `root` as it arrives; wrong bytes throw
 * ShardIntegrityError, a node that found its copy corrupt answers CORRUPT (RemoteRefusedError).
 */
export async function getShard(
	dialer: Dialer,
	peer: Target,
	root: Uint8Array,
	options?: CallOptions,
): Promise<Uint8Array> {
	return streamedExchange(dialer, peer, options ?? {}, async (call) => {
		const request = { v: SHARD_STREAM_VERSION, op: "get", root, max: MAX_SHARD_BYTES };
		await sendFrame(call.stream, encodeMessage(request), call.signal);
		const header = await readResponse(call.reader, CONTROL_FRAME_BYTES);
		const size = header.size;
		if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
			throw new BadResponseError("get answer has no shard size");
		}
		if (size > MAX_SHARD_BYTES) throw new BadResponseError("get answer is above the shard limit");
		const length = await call.reader.readLength(MAX_SHARD_BYTES);
		if (length !== size) throw new BadResponseError("get body does not have the announced size");
		// Not zeroed first (~0.4 ms of a 4 MiB get): every byte is written below, or the body
		// ends short and this throws TruncatedFrameError without handing anything out.
		const data = new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
		const hasher = new ShardRootHasher();
		let filled = 0;
		for await (const chunk of call.reader.body(size)) {
			data.set(chunk, filled);
			filled += chunk.length;
			hasher.update(chunk);
		}
		// The node's own verdict on what it read (CORRUPT throws), then ours on what arrived.
		await readResponse(call.reader, CONTROL_FRAME_BYTES);
		if (toHex(hasher.digest()) !== toHex(root)) {
			throw new ShardIntegrityError(`node returned bytes that do not hash to shard ${toHex(root)}`);
		}
		return data;
	});
}

/** Whether `peer` claims to hold the shard (a claim only: audits check it). */
export async function hasShard(
	dialer: Dialer,
	peer: Target,
	root: Uint8Array,
	options?: CallOptions,
): Promise<{ has: boolean; size?: number }> {
	const response = await call(dialer, peer, { op: "has", root }, options);
	if (typeof response.has !== "boolean") throw new BadResponseError("has answer has no flag");
	return typeof response.size === "number"
		? { has: response.has, size: response.size }
		: { has: response.has };
}

/** Deletes a shard on `peer` with a coordinator-signed order; true when it was held. */
export async function deleteShard(
	dialer: Dialer,
	peer: Target,
	order: SignedEnvelope,
	options?: CallOptions,
): Promise<boolean> {
	const response = await call(dialer, peer, { op: "delete", order }, options);
	return response.deleted === true;
}
