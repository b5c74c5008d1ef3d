"use client";
// Turns the passphrase dialog into an async question the account flows can ask.
import { type ReactNode, useCallback, useState } from "react";
import type { AskPassphrase } from "../../client/account/flows";
import { PassphraseDialog } from "./passphrase-dialog";

export class PassphraseCancelledError extends Error {
	override name = "PassphraseCancelledError";
	constructor() {
		super("No passphrase was entered.");
	}
}

export function usePassphrasePrompt(): { ask: AskPassphrase; dialog: ReactNode } {
	const [request, setRequest] = useState<{
		purpose: "create" | "unlock";
		resolve: (passphrase: string) => void;
		reject: (error: Error) => void;
	} | null>(null);

	const ask = useCallback<AskPassphrase>(
		(purpose) => new Promise((resolve, reject) => setRequest({ purpose, resolve, reject })),
		[],
	);

	const dialog = request ? (
		<PassphraseDialog
			purpose={request.purpose}
			onSubmit={(passphrase) => {
				setRequest(null);
				request.resolve(passphrase);
			}}
			onCancel={() => {
				setRequest(null);
				request.reject(new PassphraseCancelledError());
			}}
		/>
	) : null;
	return { ask, dialog };
}
