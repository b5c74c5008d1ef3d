// Shared: everything this account shares — with people and by link — with expiry, downloads and
// state, and "Revoke" for what is still active. Names are opened in the browser.
import type { Metadata } from "next";
import { AccountShell } from "../_components/account-shell";
import { SharedList } from "./shared-list";

export const metadata: Metadata = { title: "Shared" };

export default function SharedPage() {
	return (
		<AccountShell title="Shared">
			<SharedList />
		</AccountShell>
	);
}
