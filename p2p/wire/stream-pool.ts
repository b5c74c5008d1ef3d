// Keeps a caller's finished request streams open for its next call to the same peer and
// protocol: a node serves many requests on one stream (./rpc serveStream, up to its per-stream
// request limit and deadline). Opening a stream costs a multistream-select round trip before the
// request can go out (libp2p 3 negotiates every protocol fully) and ~1 ms of CPU at each end per
// call here; a gateway makes hundreds of shard calls to the same few nodes per file.
// A stream goes back to the pool only after a complete, clean exchange (nothing left unread,
// both directions still open) and is read ahead while it waits, so that bytes the node sends
// out of turn are seen and the stream dropped instead of being read as the next answer. It is
// handed out again only while young enough that the node's whole-stream deadline cannot cut the
// next call short, and it is closed once idle for a while. Streams the node closed meanwhile
// (its request limit, its deadline, a lost connection) are noticed on take and dropped; a call
// that still finds its reused stream dead is retried by the caller on a fresh one (see
// `Call.reused`).
import type { PeerId, Stream } from "@libp2p/interface";
import type { Multiaddr } from "@multiformats/multiaddr";
import { FrameReader } from "./frame-reader";

/** A stream with the frame reader that has been reading it since it was opened. */
export interface PooledStream {
	stream: Stream;
	reader: FrameReader;
	/** performance.now() when the stream was opened. */
	openedAt: number;
}

/** How long streams are kept. */
export interface StreamPoolLimits {
	/** A stream older than this is not handed out again (the node's deadline runs from its opening). */
	maxAgeMs: number;
	/** An idle stream is closed after this long. */
	idleMs: number;
	/** Idle streams kept per peer and protocol; more are closed. */
	maxIdle: number;
}

/**
 * Defaults against nodes whose whole-stream deadline is STREAM_TIMEOUT_MS (60 s): a stream is
 * reused for 20 s from its opening, so a call started on it has 40 s before that deadline.
 */
export const DEFAULT_STREAM_POOL_LIMITS: StreamPoolLimits = {
	maxAgeMs: 20_000,
	idleMs: 5_000,
	maxIdle: 8,
};

type Target = PeerId | Multiaddr;

interface IdleStream extends PooledStream {
	timer: ReturnType<typeof setTimeout>;
}

/** Idle request streams of one caller, by peer and protocol. */
export class StreamPool {
	private readonly idle = new Map<string, IdleStream[]>();

	constructor(private readonly limits: StreamPoolLimits = DEFAULT_STREAM_POOL_LIMITS) {}

	/** An idle stream to `peer` for `protocol` still fit for a call, or null. */
	take(peer: Target, protocol: string): PooledStream | null {
		const key = keyOf(peer, protocol);
		const streams = this.idle.get(key);
		while (streams && streams.length > 0) {
			const entry = streams.pop() as IdleStream;
			clearTimeout(entry.timer);
			if (streams.length === 0) this.idle.delete(key);
			if (this.fit(entry))
				return { stream: entry.stream, reader: entry.reader, openedAt: entry.openedAt };
			void closeQuietly(entry);
		}
		return null;
	}

	/**
	 * Takes back a stream after a complete exchange: kept when fit for another call, closed
	 * otherwise.
	 */
	give(peer: Target, protocol: string, entry: PooledStream): void {
		const key = keyOf(peer, protocol);
		const streams = this.idle.get(key) ?? [];
		if (!this.fit(entry) || streams.length >= this.limits.maxIdle) {
			void closeQuietly(entry);
			return;
		}
		const idle: IdleStream = {
			...entry,
			timer: setTimeout(() => {
				const list = this.idle.get(key);
				const at = list?.indexOf(idle) ?? -1;
				if (list && at >= 0) {
					list.splice(at, 1);
					if (list.length === 0) this.idle.delete(key);
				}
				void closeQuietly(idle);
			}, this.limits.idleMs),
		};
		// Idle streams never keep the process alive.
		idle.timer.unref?.();
		// Whatever the node sends while the stream waits shows in `fit` when it is taken.
		entry.reader.readAhead();
		streams.push(idle);
		this.idle.set(key, streams);
	}

	/** Idle streams held, over all peers (for tests and status output). */
	get size(): number {
		let count = 0;
		for (const streams of this.idle.values()) count += streams.length;
		return count;
	}

	/** Closes every idle stream. */
	async clear(): Promise<void> {
		const all = [...this.idle.values()].flat();
		this.idle.clear();
		for (const entry of all) clearTimeout(entry.timer);
		await Promise.all(all.map(closeQuietly));
	}

	private fit({ stream, reader, openedAt }: PooledStream): boolean {
		return (
			performance.now() - openedAt < this.limits.maxAgeMs &&
			stream.status === "open" &&
			stream.writeStatus === "writable" &&
			stream.remoteWriteStatus === "writable" &&
			stream.remoteReadStatus === "readable" &&
			// Bytes nobody asked for (a node answering out of turn) would be read as the next
			// answer; the reader reads ahead while the stream is idle, so they show here.
			reader.buffered === 0 &&
			!reader.hasEnded
		);
	}
}

/** Starts reading a freshly opened stream for pooled calls. */
export function pooledStream(stream: Stream): PooledStream {
	return { stream, reader: new FrameReader(stream), openedAt: performance.now() };
}

const pools = new WeakMap<object, StreamPool>();

/** The pool of streams opened by `dialer` (one per libp2p node, made on first use). */
export function streamPoolOf(dialer: object): StreamPool {
	let pool = pools.get(dialer);
	if (!pool) {
		pool = new StreamPool();
		pools.set(dialer, pool);
	}
	return pool;
}

function keyOf(peer: Target, protocol: string): string {
	return `${protocol} ${peer.toString()}`;
}

async function closeQuietly({ stream, reader }: PooledStream): Promise<void> {
	try {
		await stream.close({ signal: AbortSignal.timeout(2_000) });
	} catch (err) {
		stream.abort(err as Error);
	}
	await reader.close().catch(() => undefined);
}
