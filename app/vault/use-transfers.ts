"use client";
// The rows of the Transfers list and a runner that keeps one row per transfer: progress, a note
// while it waits for the network, cancel, and a readable error when it fails. The download
// worker is registered when a page with transfers opens, so no download waits for it.
import { useCallback, useEffect, useState } from "react";
import { prepareDownloadWorker } from "../../client/vault/save-download";
import type { TransferProgress } from "../../client/vault/transfer-settings";
import { describeError } from "../_components/describe-error";
import type { Transfer } from "./transfers";

export type TransferWork = (options: {
	signal: AbortSignal;
	onProgress: (progress: TransferProgress) => void;
}) => Promise<unknown>;

export function useTransfers() {
	const [transfers, setTransfers] = useState<Transfer[]>([]);

	useEffect(() => {
		void prepareDownloadWorker();
	}, []);

	const updateTransfer = useCallback(
		(id: string, patch: Partial<Transfer>) =>
			setTransfers((list) =>
				list.map((transfer) => (transfer.id === id ? { ...transfer, ...patch } : transfer)),
			),
		[],
	);

	/** Runs `work` with its own row; resolves true when it finished, false otherwise. */
	const runTransfer = useCallback(
		async (
			direction: Transfer["direction"],
			name: string,
			total: number,
			work: TransferWork,
		): Promise<boolean> => {
			const controller = new AbortController();
			const transfer: Transfer = {
				id: crypto.randomUUID(),
				direction,
				name,
				done: 0,
				total,
				startedAt: Date.now(),
				state: "running",
				cancel: () => controller.abort(),
			};
			setTransfers((list) => [...list, transfer]);
			try {
				await work({
					signal: controller.signal,
					onProgress: ({ done, total, waiting }) =>
						updateTransfer(transfer.id, { done, total, waiting: waiting ?? false }),
				});
				updateTransfer(transfer.id, { state: "done", waiting: false });
				return true;
			} catch (failure) {
				const cancelled = controller.signal.aborted;
				updateTransfer(transfer.id, {
					state: cancelled ? "cancelled" : "failed",
					waiting: false,
					error: cancelled ? undefined : describeError(failure),
				});
				return false;
			}
		},
		[updateTransfer],
	);

	/** Drops the rows of finished transfers (when a new batch starts, or on request). */
	const clearFinished = useCallback(
		() => setTransfers((list) => list.filter((transfer) => transfer.state === "running")),
		[],
	);

	return { transfers, runTransfer, clearFinished };
}
