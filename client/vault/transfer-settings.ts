// What uploads and downloads share: the erasure and chunk parameters of this network, progress
// reports, the one error type transfers throw, and patient retries for failures that pass.
import { isTransientFailure } from "../api";

/** Local network default (DESIGN §5): k = 4 of n = 6. */
export const DATA_SHARDS = 4;
export const PARITY_SHARDS = 2;
/** Plaintext per chunk: 4 MiB (DESIGN §4). */
export const CHUNK_SIZE = 4 * 2 ** 20;

/** A transfer failed for a reason a person can read (never wrong data: it stops instead). */
export class TransferError extends Error {
	override name = "TransferError";
}

export interface TransferProgress {
	/** Plaintext bytes done. */
	done: number;
	total: number;
	/** True while the transfer waits to try again after a network failure. */
	waiting?: boolean;
}

/** Tries after a failure: 1, 2, 4, 8 and 16 s apart — about half a minute in all. */
export const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000];

/** Waits `ms`, or until the browser is back online when it knows it is offline. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		signal?.throwIfAborted();
		const done = () => {
			clearTimeout(timer);
			globalThis.removeEventListener?.("online", done);
			signal?.removeEventListener("abort", aborted);
			resolve();
		};
		const aborted = () => {
			clearTimeout(timer);
			globalThis.removeEventListener?.("online", done);
			reject(signal?.reason);
		};
		const timer = setTimeout(done, ms);
		if (globalThis.navigator?.onLine === false) globalThis.addEventListener?.("online", done);
		signal?.addEventListener("abort", aborted, { once: true });
	});
}

/**
 * Runs `attempt` until it succeeds, trying again after transient failures (network down,
 * storage network unavailable) as `RETRY_DELAYS_MS` says; `onWaiting` tells the UI.
 */
export async function withRetries<T>(
	attempt: () => Promise<T>,
	{ signal, onWaiting }: { signal?: AbortSignal; onWaiting?: (waiting: boolean) => void } = {},
): Promise<T> {
	for (let tries = 0; ; tries++) {
		try {
			return await attempt();
		} catch (error) {
			const delay = RETRY_DELAYS_MS[tries];
			if (signal?.aborted || delay === undefined || !isTransientFailure(error)) throw error;
			onWaiting?.(true);
			await pause(delay, signal);
			onWaiting?.(false);
		}
	}
}
