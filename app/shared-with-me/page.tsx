// Shared with me: files and folders other people shared with this account, opened only here.
import type { Metadata } from "next";
import { AccountShell } from "../_components/account-shell";
import { SharedWithMeBrowser } from "./shared-with-me-browser";

export const metadata: Metadata = { title: "Shared with me" };

export default function SharedWithMePage() {
	return (
		<AccountShell title="Shared with me">
			<SharedWithMeBrowser />
		</AccountShell>
	);
}
