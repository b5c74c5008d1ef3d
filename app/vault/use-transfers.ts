"use client";
// The rows of the Transfers list and a runner that keeps one row per transfer: queued until its
// turn, then progress, a note while it waits for the network, cancel (also while queued, and
// for everything at once), and a readable error when it fails. The download worker is
// registered when a page with transfers opens, so no download waits for it.
import { useCallback, useEffect, useRef, useState } from "react";
import { prepareDownloadWorker } from "../../client/vault/save-download";
import type { TransferProgress } from "../../client/vault/transfer-settings";
import { describeError } from "../_components/describe-error";
import type { Transfer } from "./transfers";

export type TransferWork = (options: {
	signal: AbortSignal;
	onProgress: (progress: TransferProgress) => void;
}) => Promise<unknown>;

/** A transfer shown as queued until `run` starts it; `run` skips it once it was cancelled. */
export interface QueuedTransfer {
	/** Resolves true when the work finished, false when it failed, was cancelled or skipped. */
	run(work: TransferWork): Promise<boolean>;
	/** Cancelled (while queued or running). */
	readonly cancelled: boolean;
}

interface Entry {
	direction: Transfer["direction"];
	name: string;
	total: number;
}

export function useTransfers() {
	const [transfers, setTransfers] = useState<Transfer[]>([]);
	const current = useRef<Transfer[]>([]);
	current.current = transfers;

	useEffect(() => {
		void prepareDownloadWorker();
	}, []);

	const updateTransfer = useCallback(
		(id: string, patch: Partial<Transfer>, only?: Transfer["state"]) =>
			setTransfers((list) =>
				list.map((transfer) =>
					transfer.id === id && (only === undefined || transfer.state === only)
						? { ...transfer, ...patch }
						: transfer,
				),
			),
		[],
	);

	/** Adds rows for `entries` in `state`, each with its own cancel. */
	const addTransfers = useCallback(
		(entries: readonly Entry[], state: "queued" | "running") => {
			const added = entries.map(({ direction, name, total }) => {
				const controller = new AbortController();
				const id = crypto.randomUUID();
				const transfer: Transfer = {
					id,
					direction,
					name,
					done: 0,
					total,
					state,
					...(state === "running" ? { startedAt: Date.now() } : {}),
					cancel: () => {
						controller.abort();
						// A running transfer's work ends with the abort and says so itself.
						updateTransfer(id, { state: "cancelled" }, "queued");
					},
				};
				return { transfer, controller };
			});
			setTransfers((list) => [...list, ...added.map(({ transfer }) => transfer)]);
			return added;
		},
		[updateTransfer],
	);

	const execute = useCallback(
		async (id: string, controller: AbortController, work: TransferWork): Promise<boolean> => {
			try {
				await work({
					signal: controller.signal,
					onProgress: ({ done, total, waiting }) =>
						updateTransfer(id, { done, total, waiting: waiting ?? false }),
				});
				updateTransfer(id, { state: "done", waiting: false });
				return true;
			} catch (failure) {
				const cancelled = controller.signal.aborted;
				updateTransfer(id, {
					state: cancelled ? "cancelled" : "failed",
					waiting: false,
					error: cancelled ? undefined : describeError(failure),
				});
				return false;
			}
		},
		[updateTransfer],
	);

	/** Runs `work` at once with its own row; resolves true when it finished, false otherwise. */
	const runTransfer = useCallback(
		(
			direction: Transfer["direction"],
			name: string,
			total: number,
			work: TransferWork,
		): Promise<boolean> => {
			const [{ transfer, controller }] = addTransfers([{ direction, name, total }], "running") as [
				{ transfer: Transfer; controller: AbortController },
			];
			return execute(transfer.id, controller, work);
		},
		[addTransfers, execute],
	);

	/**
	 * Shows every entry at once as queued (a batch's bar counts them all); the caller runs them
	 * in turn with `run`.
	 */
	const queueTransfers = useCallback(
		(entries: readonly Entry[]): QueuedTransfer[] =>
			addTransfers(entries, "queued").map(({ transfer, controller }) => ({
				get cancelled() {
					return controller.signal.aborted;
				},
				run: async (work) => {
					if (controller.signal.aborted) return false;
					updateTransfer(transfer.id, { state: "running", startedAt: Date.now() });
					return execute(transfer.id, controller, work);
				},
			})),
		[addTransfers, execute, updateTransfer],
	);

	/** Cancels every running and queued transfer. */
	const cancelAll = useCallback(() => {
		for (const transfer of current.current) {
			if (transfer.state === "running" || transfer.state === "queued") transfer.cancel();
		}
	}, []);

	/** Drops the rows of finished transfers (when a new batch starts, or on request). */
	const clearFinished = useCallback(
		() =>
			setTransfers((list) =>
				list.filter((transfer) => transfer.state === "running" || transfer.state === "queued"),
			),
		[],
	);

	return { transfers, runTransfer, queueTransfers, cancelAll, clearFinished };
}
