// The order in which the embedded database (one PGlite session) runs the wire-protocol messages
// of its many client connections. Written here because @electric-sql/pglite-socket 0.2.17's own
// queue, the only maintained server for PGlite, interleaves connections in the middle of an
// extended-query batch (Parse/Bind/Describe/Execute … Sync) — one connection's Parse replaces
// another's unnamed statement between its Parse and Bind, failing the query ("bind message
// supplies 5 parameters, but prepared statement "" requires 4") or binding the wrong one — and
// stops for good after one internal error (electric-sql/pglite#1046, open). It plugs into that
// library's PGLiteSocketHandler, which keeps the protocol framing and sockets; the library is
// pinned at 0.2.17 because the queue interface the handler calls is not a public one.
//
// Rule: a connection holds the session from the first message of a batch until its Sync, and
// for as long as the session is inside a transaction that connection opened; otherwise
// messages run in arrival order. It must never let another connection's message run inside
// someone's batch or transaction, and never stop serving after a failed message or a
// connection lost mid-batch (its transaction is rolled back, its batch closed with a Sync).
import type { PGlite } from "@electric-sql/pglite";

/** Frontend messages that continue an extended-query batch until the next Sync. */
const BATCH_MESSAGES = new Set(["P", "B", "D", "E", "C", "H"].map((c) => c.charCodeAt(0)));
/** A Sync message: ends a batch (the backend answers ReadyForQuery). */
const SYNC = Uint8Array.of(0x53, 0, 0, 0, 4);

interface Queued {
	handlerId: number;
	message: Uint8Array;
	onData: (data: Uint8Array) => void;
	resolve: (bytes: number) => void;
	reject: (error: unknown) => void;
}

/** The queue every connection handler of one embedded database shares. */
export class ProtocolQueue {
	private readonly queue: Queued[] = [];
	private running = false;
	/** The connection holding the session (mid-batch or in a transaction), if any. */
	private owner: number | null = null;

	constructor(private readonly db: PGlite) {}

	/** Queues one message of connection `handlerId`; resolves with the bytes answered. */
	enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void) {
		return new Promise<number>((resolve, reject) => {
			this.queue.push({ handlerId, message, onData, resolve, reject });
			void this.run();
		});
	}

	getQueueLength(): number {
		return this.queue.length;
	}

	/** Drops the queued messages of a connection that went away. */
	clearQueueForHandler(handlerId: number): void {
		for (let i = this.queue.length - 1; i >= 0; i--) {
			const item = this.queue[i] as Queued;
			if (item.handlerId !== handlerId) continue;
			this.queue.splice(i, 1);
			item.reject(new Error("the connection closed"));
		}
	}

	/**
	 * Releases the session held by a connection that went away: rolls back its transaction,
	 * closes its batch, and lets the others go on.
	 */
	async clearTransactionIfNeeded(handlerId: number): Promise<void> {
		if (this.owner !== handlerId) return;
		await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC)).catch(() => undefined);
		// exec takes PGlite's own lock: not inside runExclusive.
		if (this.db.isInTransaction()) await this.db.exec("ROLLBACK").catch(() => undefined);
		this.owner = null;
		void this.run();
	}

	private next(): Queued | undefined {
		const index =
			this.owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === this.owner);
		// The owner's next message has not arrived yet: everyone else waits for it.
		if (index < 0) return undefined;
		return this.queue.splice(index, 1)[0];
	}

	private async run(): Promise<void> {
		if (this.running) return;
		this.running = true;
		try {
			for (let item = this.next(); item; item = this.next()) await this.execute(item);
		} finally {
			this.running = false;
		}
	}

	private async execute(item: Queued): Promise<void> {
		let bytes = 0;
		try {
			await this.db.runExclusive(() =>
				this.db.execProtocolRawStream(item.message, {
					onRawData: (data) => {
						bytes += data.length;
						item.onData(data);
					},
				}),
			);
		} catch (error) {
			item.reject(error);
		}
		const continuesBatch = BATCH_MESSAGES.has(item.message[0] as number);
		this.owner = continuesBatch || this.db.isInTransaction() ? item.handlerId : null;
		item.resolve(bytes);
	}
}
