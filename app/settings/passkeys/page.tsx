// Settings → Passkeys.
import type { Metadata } from "next";
import { AccountShell } from "../../_components/account-shell";
import { PasskeyManager } from "./passkey-manager";

export const metadata: Metadata = { title: "Passkeys" };

export default function PasskeysPage() {
	return (
		<AccountShell title="Passkeys">
			<PasskeyManager />
		</AccountShell>
	);
}
