// The vault: folders and files whose names are opened only in this browser.
import type { Metadata } from "next";
import { AccountShell } from "../_components/account-shell";
import { VaultBrowser } from "./vault-browser";

export const metadata: Metadata = { title: "Vault" };

export default function VaultPage() {
	return (
		<AccountShell title="Vault">
			<VaultBrowser />
		</AccountShell>
	);
}
