// Request/response over one libp2p 3 stream: unsigned-varint length-prefixed frames, each one
// strict CBOR message. A server answers every frame in order with a status; a malformed
// message gets BAD_REQUEST and the stream stays usable, an oversized frame gets TOO_LARGE and
// closes the stream. A handler may also exchange raw (non-CBOR) body frames around its answer
// (the shard protocol's streamed put and get); the serving loop keeps the framing in step or
// closes the stream. Every stream runs under AbortSignal.timeout. This layer never lets an
// exception from one peer's input escape into the node. A caller may keep a stream for its
// next calls to the same peer (a StreamPool, ./stream-pool; `exchangeOnStream`).
import type { Connection, PeerId, Stream } from "@libp2p/interface";
import { encode as encodeFrame } from "it-length-prefixed";
import { decodeMessage, encodeMessage, MalformedMessageError } from "./cbor";
import { BadResponseError, NoResponseError, RemoteRefusedError } from "./errors";
import { FrameReader, FrameTooLargeError, TruncatedFrameError } from "./frame-reader";
import { Status } from "./status";
import { pooledStream, type StreamPool } from "./stream-pool";

/** A response: a status plus protocol fields. */
export type Response = { status: number; reason?: string } & Record<string, unknown>;

/** Thrown by a request handler to answer with a refusal status instead of OK. */
export class Refusal extends Error {
	override name = "Refusal";
	constructor(
		readonly status: number,
		reason: string,
	) {
		super(reason);
	}
}

/** Limits one served stream runs under. */
export interface ServeLimits {
	/** Largest accepted frame, in bytes. */
	maxFrameBytes: number;
	/** Whole-stream deadline in ms. */
	timeoutMs: number;
	/** Requests answered on one stream before it is closed. */
	maxRequestsPerStream: number;
}

/** Admission hook: false answers RATE_LIMITED. */
export type Admit = (peer: PeerId) => boolean;

/** Writes one length-prefixed frame, waiting for the stream to drain when it asks to. */
export async function sendFrame(stream: Stream, bytes: Uint8Array, signal: AbortSignal) {
	// The receiver enforces its own frame limit; the sender only needs room for the largest.
	const framed = encodeFrame.single(bytes, { maxDataLength: 2 ** 30 });
	if (framed.byteLength <= SEND_PIECE_BYTES) {
		if (!stream.send(framed)) await stream.onDrain({ signal });
		return;
	}
	// Large frames go out in muxer-sized pieces, waiting for drain between them, so the muxer
	// never holds (and re-slices) a multi-MiB buffer.
	for (const chunk of framed) {
		for (let offset = 0; offset < chunk.length; offset += SEND_PIECE_BYTES) {
			if (!stream.send(chunk.subarray(offset, offset + SEND_PIECE_BYTES))) {
				await stream.onDrain({ signal });
			}
		}
	}
}

/** Piece size for large frames: Yamux's default message size. */
const SEND_PIECE_BYTES = 64 * 1024;

/** The unsigned-varint length prefix of a frame of `length` bytes. */
export function lengthPrefix(length: number): Uint8Array {
	const out: number[] = [];
	let value = length;
	while (value >= 0x80) {
		out.push((value % 0x80) | 0x80);
		value = Math.floor(value / 0x80);
	}
	out.push(value);
	return Uint8Array.from(out);
}

/**
 * Sends one raw frame of exactly `length` bytes whose body comes from `chunks` (no CBOR, no
 * copy): the prefix, then each chunk in muxer-sized pieces, waiting for drain. Throws when the
 * chunks do not add up to `length` (the stream's framing is then broken: abort it).
 */
export async function sendRawFrame(
	stream: Stream,
	length: number,
	chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
	signal: AbortSignal,
): Promise<void> {
	if (!stream.send(lengthPrefix(length))) await stream.onDrain({ signal });
	let sent = 0;
	for await (const chunk of chunks) {
		if (sent + chunk.length > length) throw new Error("frame body longer than announced");
		for (let offset = 0; offset < chunk.length; offset += SEND_PIECE_BYTES) {
			// A sender told to stop (the receiver already answered) stops between pieces.
			signal.throwIfAborted();
			const piece =
				offset === 0 && chunk.length <= SEND_PIECE_BYTES
					? chunk
					: chunk.subarray(offset, offset + SEND_PIECE_BYTES);
			if (!stream.send(piece)) await stream.onDrain({ signal });
		}
		sent += chunk.length;
	}
	if (sent !== length) throw new Error("frame body shorter than announced");
}

/**
 * What a request handler may do on its stream besides returning its final answer: send interim
 * OK answers, read one raw body frame that follows the request, send one raw body frame before
 * the final answer. A body left unread is drained by the serving loop before it answers, so
 * the stream stays in step whatever the handler does.
 */
export interface StreamIO {
	/** Sends an interim OK answer carrying `fields` (the final answer still follows). */
	send(fields: Record<string, unknown>): Promise<void>;
	/**
	 * Reads the next frame's length (≤ `maxBytes`) and hands out its body as it arrives.
	 * A length above `maxBytes` closes the stream with TOO_LARGE.
	 */
	readBody(maxBytes: number): Promise<{ length: number; chunks: AsyncIterable<Uint8Array> }>;
	/** Sends one raw frame of `length` bytes from `chunks`; a short or long body aborts the stream. */
	sendBody(length: number, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void>;
	/**
	 * Declares that one raw body frame (≤ `maxBytes`) follows this request whatever the answer,
	 * sent without waiting for one. If the handler answers without reading it, the answer goes
	 * out first (so the caller can stop sending) and the body is then skipped unread.
	 */
	expectBody(maxBytes: number): void;
	/** Aborted when the stream's deadline passes. */
	signal: AbortSignal;
}

/** A request handler: returns the OK fields of the final answer or throws `Refusal`. */
export type RequestHandler = (
	message: unknown,
	peer: PeerId,
	io: StreamIO,
) => Promise<Record<string, unknown>>;

/** Tracks a handler's use of the stream so the serving loop can keep the framing in step. */
class ServedRequest implements StreamIO {
	/** Bytes of a body frame the handler started and did not finish reading. */
	unread = 0;
	/** True once a raw body frame went out only partly: the stream can no longer be framed. */
	broken = false;
	/** Bound of a declared body frame the handler has not started reading, or null. */
	pendingBody: number | null = null;

	constructor(
		private readonly stream: Stream,
		private readonly reader: FrameReader,
		readonly signal: AbortSignal,
	) {}

	send(fields: Record<string, unknown>): Promise<void> {
		return sendFrame(this.stream, encodeMessage({ ...fields, status: Status.OK }), this.signal);
	}

	expectBody(maxBytes: number): void {
		this.pendingBody = maxBytes;
	}

	async readBody(maxBytes: number) {
		this.pendingBody = null;
		const length = await this.reader.readLength(maxBytes);
		if (length === null) throw new TruncatedFrameError("the stream ended before the body");
		this.unread = length;
		const source = this.reader.body(length);
		const chunks = async function* (this: ServedRequest) {
			for await (const chunk of source) {
				this.unread -= chunk.length;
				yield chunk;
			}
		}.call(this);
		return { length, chunks };
	}

	async sendBody(length: number, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
		let sent = 0;
		const counted = async function* () {
			for await (const chunk of chunks) {
				yield chunk;
				sent += chunk.length;
			}
		};
		this.broken = true;
		try {
			await sendRawFrame(this.stream, length, counted(), this.signal);
		} catch (err) {
			// A source that fails after its last byte went out (a failed integrity check) leaves
			// the framing intact: the handler's refusal can still be sent as the answer.
			if (sent === length) this.broken = false;
			throw err;
		}
		this.broken = false;
	}
}

function isLengthError(err: unknown): boolean {
	return err instanceof FrameTooLargeError;
}

/**
 * Serves request frames on `stream` until the peer closes its side, a limit is hit or the
 * deadline passes. `handle` returns the OK fields or throws `Refusal`.
 */
export async function serveStream(
	stream: Stream,
	connection: Connection,
	limits: ServeLimits,
	admit: Admit,
	handle: RequestHandler,
): Promise<void> {
	const signal = AbortSignal.timeout(limits.timeoutMs);
	const onAbort = () => stream.abort(new Error("stream deadline passed"));
	signal.addEventListener("abort", onAbort, { once: true });
	stream.maxReadBufferLength = Math.max(stream.maxReadBufferLength, limits.maxFrameBytes * 2);
	const peer = connection.remotePeer;
	const reply = (response: Response) => sendFrame(stream, encodeMessage(response), signal);
	const reader = new FrameReader(stream);
	let served = 0;
	try {
		try {
			for (;;) {
				const frame = await reader.readFrame(limits.maxFrameBytes);
				if (frame === null) break;
				served++;
				if (!admit(peer)) {
					await reply({ status: Status.RATE_LIMITED, reason: "too many requests from this peer" });
					break;
				}
				const request = new ServedRequest(stream, reader, signal);
				const response = await answer(frame, peer, request, handle);
				if (request.broken) throw new Error("a body frame went out incomplete");
				if (request.pendingBody !== null) {
					// A body sent without waiting and answered unread: answer first, so the caller
					// can stop sending, then skip what it did send. A caller that stopped part-way
					// ends the stream.
					await reply(response);
					if (!(await skipFrame(reader, request.pendingBody))) break;
				} else {
					// Keep the framing in step: a body the handler refused part-read is skipped.
					if (request.unread > 0) await reader.skip(request.unread);
					await reply(response);
				}
				if (served >= limits.maxRequestsPerStream) break;
			}
		} catch (err) {
			if (!isLengthError(err)) throw err;
			await reply({
				status: Status.TOO_LARGE,
				reason: `frames are limited to ${limits.maxFrameBytes} bytes`,
			});
		}
		await stream.close({ signal });
	} catch (err) {
		stream.abort(err as Error);
	} finally {
		signal.removeEventListener("abort", onAbort);
		await reader.close().catch(() => undefined);
	}
}

/** Skips one whole frame of at most `maxBytes`; false when the stream ended before it did. */
async function skipFrame(reader: FrameReader, maxBytes: number): Promise<boolean> {
	try {
		const length = await reader.readLength(maxBytes);
		if (length === null) return false;
		await reader.skip(length);
		return true;
	} catch (err) {
		if (err instanceof TruncatedFrameError) return false;
		throw err;
	}
}

async function answer(
	bytes: Uint8Array,
	peer: PeerId,
	request: ServedRequest,
	handle: RequestHandler,
): Promise<Response> {
	try {
		const message = decodeMessage(bytes);
		return { ...(await handle(message, peer, request)), status: Status.OK };
	} catch (err) {
		// Stream-level failures (truncated or oversized body, broken framing) end the stream.
		if (request.broken || err instanceof TruncatedFrameError || err instanceof FrameTooLargeError)
			throw err;
		if (err instanceof Refusal) return { status: err.status, reason: err.message };
		if (err instanceof MalformedMessageError)
			return { status: Status.BAD_REQUEST, reason: err.message };
		return { status: Status.INTERNAL, reason: "internal error" };
	}
}

/** Decodes one response frame; refusals throw RemoteRefusedError. */
export function parseResponse(frame: Uint8Array | null): Response {
	if (frame === null) throw new NoResponseError("the remote closed the stream without answering");
	let message: unknown;
	try {
		message = decodeMessage(frame);
	} catch {
		throw new BadResponseError("response is not strict CBOR");
	}
	if (typeof message !== "object" || message === null || Array.isArray(message)) {
		throw new BadResponseError("response is not a map");
	}
	const response = message as Response;
	if (typeof response.status !== "number") throw new BadResponseError("response has no status");
	if (response.status !== Status.OK) {
		throw new RemoteRefusedError(
			response.status,
			typeof response.reason === "string" ? response.reason.slice(0, 200) : "",
		);
	}
	return response;
}

/** Reads one response frame from `reader` and decodes it; refusals throw RemoteRefusedError. */
export async function readResponse(reader: FrameReader, maxFrameBytes: number): Promise<Response> {
	let frame: Uint8Array | null;
	try {
		frame = await reader.readFrame(maxFrameBytes);
	} catch (err) {
		if (isLengthError(err)) throw new BadResponseError("response frame too large");
		if (err instanceof TruncatedFrameError) throw new BadResponseError("response frame truncated");
		throw err;
	}
	return parseResponse(frame);
}

/** What a caller needs from a libp2p node to open protocol streams. */
export interface Dialer {
	dialProtocol(
		peer: PeerId | import("@multiformats/multiaddr").Multiaddr,
		protocols: string,
		options?: { signal?: AbortSignal },
	): Promise<Stream>;
}

/** One open request stream of `openCall`: its reader, deadline and clean-up. */
export interface Call {
	stream: Stream;
	reader: FrameReader;
	signal: AbortSignal;
	/**
	 * The stream served an earlier call (from a StreamPool): if this call fails on it without a
	 * refusal, the node may have closed it while it was idle, and a fresh stream may succeed.
	 */
	reused: boolean;
	/** Ends a complete exchange: the stream goes back to the pool, or is closed. */
	finish(): Promise<void>;
	/** The exchange left the stream unfit for another call (a body cut short): finish closes it. */
	keepClosed(): void;
	/** Aborts the stream after a failure; returns the error to throw (deadline → NoResponseError). */
	fail(err: unknown): unknown;
}

/** Options of one call. */
export interface CallOpenOptions {
	timeoutMs: number;
	maxResponseBytes: number;
	signal?: AbortSignal;
	/** Take an idle stream from this pool if one is fit, and give the stream back after. */
	pool?: StreamPool;
	/** With `pool`: open a new stream even if an idle one is there (it still goes back after). */
	freshStream?: boolean;
}

/**
 * Opens a protocol stream for one exchange (or takes an idle one from `options.pool`), under
 * `timeoutMs` (and `signal`, if given).
 */
export async function openCall(
	dialer: Dialer,
	peer: PeerId | import("@multiformats/multiaddr").Multiaddr,
	protocol: string,
	options: CallOpenOptions,
): Promise<Call> {
	const signal = options.signal
		? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
		: AbortSignal.timeout(options.timeoutMs);
	const { pool } = options;
	const idle = options.freshStream ? null : (pool?.take(peer, protocol) ?? null);
	const entry = idle ?? pooledStream(await dialer.dialProtocol(peer, protocol, { signal }));
	const { stream, reader } = entry;
	const onAbort = () => stream.abort(new Error("request deadline passed"));
	signal.addEventListener("abort", onAbort, { once: true });
	stream.maxReadBufferLength = Math.max(stream.maxReadBufferLength, options.maxResponseBytes * 2);
	const release = () => {
		signal.removeEventListener("abort", onAbort);
		void reader.close().catch(() => undefined);
	};
	let reusable = pool !== undefined;
	return {
		stream,
		reader,
		signal,
		reused: idle !== null,
		keepClosed() {
			reusable = false;
		},
		async finish() {
			if (pool && reusable) {
				signal.removeEventListener("abort", onAbort);
				pool.give(peer, protocol, entry);
				return;
			}
			await stream.close({ signal }).catch(() => undefined);
			release();
		},
		fail(err) {
			stream.abort(err as Error);
			release();
			if (signal.aborted) return new NoResponseError(`no answer within ${options.timeoutMs} ms`);
			return err;
		},
	};
}

/**
 * Runs one exchange on a call opened with `options`, and once more on a fresh stream when it
 * failed on a reused one for a reason `retriable` accepts and the caller's own signal has not
 * fired: a node may close an idle stream (its request limit, its deadline) just as it is
 * taken, which is no fault of the node's. Refusals (RemoteRefusedError) are never retried.
 */
export async function exchangeOnStream<T>(
	dialer: Dialer,
	peer: PeerId | import("@multiformats/multiaddr").Multiaddr,
	protocol: string,
	options: CallOpenOptions,
	exchange: (call: Call) => Promise<T>,
	retriable: (err: unknown) => boolean = () => true,
): Promise<T> {
	// Whether the last attempt failed on a reused stream before its deadline.
	let retry = false;
	const attempt = async (freshStream: boolean) => {
		const call = await openCall(dialer, peer, protocol, { ...options, freshStream });
		try {
			const result = await exchange(call);
			await call.finish();
			return result;
		} catch (err) {
			// Read before fail(), which aborts the stream but not the call's signal.
			retry = call.reused && !call.signal.aborted;
			throw call.fail(err);
		}
	};
	try {
		return await attempt(false);
	} catch (err) {
		if (!retry || options.signal?.aborted || err instanceof RemoteRefusedError || !retriable(err))
			throw err;
	}
	return attempt(true);
}

/**
 * Sends one request and reads one response on a protocol stream, all under `timeoutMs`; with
 * `pool`, on an idle stream of an earlier call where one is fit.
 */
export async function callProtocol(
	dialer: Dialer,
	peer: PeerId | import("@multiformats/multiaddr").Multiaddr,
	protocol: string,
	request: Record<string, unknown>,
	options: CallOpenOptions,
): Promise<Response> {
	return exchangeOnStream(dialer, peer, protocol, options, async (call) => {
		await sendFrame(call.stream, encodeMessage(request), call.signal);
		return readResponse(call.reader, options.maxResponseBytes);
	});
}
