// Calls to a worker (client/vault/worker-calls.ts), with a real message channel standing in for
// the worker: answers find their calls by id in any order, failures and unexpected answers
// reject, buffers are moved, and calls still waiting can be failed at once.
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { workerCalls } from "../../client/vault/worker-calls";

type Request = { kind: "echo"; value: number; bytes?: Uint8Array } | { kind: "fail" };
type Response =
	| { kind: "echoed"; value: number; length: number }
	| { kind: "other" }
	| { kind: "error"; message: string };

const ports: MessagePort[] = [];
afterEach(() => {
	for (const port of ports.splice(0)) port.close();
});

/** The page's end of a channel, and the "worker" end with its requests queued for the test. */
function channel() {
	const { port1, port2 } = new MessageChannel();
	ports.push(port1, port2);
	const received: { id: number; request: Request }[] = [];
	port2.on("message", (message: { id: number; request: Request }) => received.push(message));
	/** Waits until the worker end has received `count` requests; returns the last one's id. */
	const untilReceived = async (count: number): Promise<number> => {
		while (received.length < count) await new Promise((resolve) => setTimeout(resolve, 1));
		return (received[count - 1] as { id: number }).id;
	};
	const calls = workerCalls<Request, Response>(
		port1 as unknown as Worker,
		({ message }) => new RangeError(message),
		"test worker",
	);
	return { calls, worker: port2, received, nthId: untilReceived };
}

describe("worker calls", () => {
	it("matches answers to calls by id, in whatever order they come", async () => {
		const { calls, worker, received, nthId } = channel();
		const first = calls.ask({ kind: "echo", value: 1 }, "echoed");
		const second = calls.ask({ kind: "echo", value: 2 }, "echoed");
		const a = await nthId(1);
		const b = await nthId(2);
		expect(received.map(({ request }) => request)).toEqual([
			{ kind: "echo", value: 1 },
			{ kind: "echo", value: 2 },
		]);
		worker.postMessage({ id: b, response: { kind: "echoed", value: 20, length: 0 } });
		worker.postMessage({ id: a, response: { kind: "echoed", value: 10, length: 0 } });
		expect((await first).value).toBe(10);
		expect((await second).value).toBe(20);
	});

	it("rejects with the worker's error, or when the answer is of another kind", async () => {
		const { calls, worker, nthId } = channel();
		const failing = calls.ask({ kind: "fail" }, "echoed");
		worker.postMessage({ id: await nthId(1), response: { kind: "error", message: "no" } });
		await expect(failing).rejects.toThrow(RangeError);
		const odd = calls.ask({ kind: "echo", value: 3 }, "echoed");
		worker.postMessage({ id: await nthId(2), response: { kind: "other" } });
		await expect(odd).rejects.toThrow("Unexpected answer from the test worker.");
	});

	it("moves the buffers it is given, and fails every waiting call at once", async () => {
		const { calls, received, nthId } = channel();
		const bytes = new Uint8Array(1024).fill(7);
		const waiting = calls.ask({ kind: "echo", value: 4, bytes }, "echoed", [bytes.buffer]);
		await nthId(1);
		expect(bytes.byteLength).toBe(0);
		expect(received[0]?.request).toMatchObject({ bytes: new Uint8Array(1024).fill(7) });
		calls.failAll(new Error("stopped"));
		await expect(waiting).rejects.toThrow("stopped");
	});
});
