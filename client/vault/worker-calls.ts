// Calls to a Web Worker that answers each request with one message: every request carries an id
// and its answer the same id, so several may be in flight at once. The upload worker
// (chunk-processor.ts) and the download's opening worker (chunk-opener.ts) are both driven
// through this.

/** What the worker answers: a response of some kind, "error" for a failure. */
type Answer = { kind: string };

export interface WorkerCalls<Request, Response extends Answer> {
	/**
	 * Sends `request` (moving `transfer`) and resolves with the answer of kind `expected`; an
	 * answer of another kind rejects, an "error" answer rejects with `errorOf`'s error.
	 */
	ask<K extends Exclude<Response["kind"], "error">>(
		request: Request,
		expected: K,
		transfer?: Transferable[],
	): Promise<Extract<Response, { kind: K }>>;
	/** Rejects every call still waiting (the worker failed or is being ended). */
	failAll(error: Error): void;
}

/**
 * Starts taking `worker`'s answers (its `onmessage`). `errorOf` turns an "error" answer into
 * the error its call rejects with; `name` says which worker an unexpected answer came from.
 */
export function workerCalls<Request, Response extends Answer>(
	worker: Worker,
	errorOf: (answer: Extract<Response, { kind: "error" }>) => Error,
	name: string,
): WorkerCalls<Request, Response> {
	type Pending = { resolve: (response: Response) => void; reject: (error: Error) => void };
	const pending = new Map<number, Pending>();
	let nextId = 0;
	worker.onmessage = ({ data }: MessageEvent<{ id: number; response: Response }>) => {
		const waiting = pending.get(data.id);
		pending.delete(data.id);
		if (data.response.kind === "error")
			waiting?.reject(errorOf(data.response as Extract<Response, { kind: "error" }>));
		else waiting?.resolve(data.response);
	};
	return {
		ask: (request, expected, transfer = []) =>
			new Promise((resolve, reject) => {
				const id = nextId++;
				pending.set(id, {
					resolve: (response) =>
						response.kind === expected
							? resolve(response as Extract<Response, { kind: typeof expected }>)
							: reject(new Error(`Unexpected answer from the ${name}.`)),
					reject,
				});
				worker.postMessage({ id, request }, transfer);
			}),
		failAll(error) {
			for (const waiting of pending.values()) waiting.reject(error);
			pending.clear();
		},
	};
}
