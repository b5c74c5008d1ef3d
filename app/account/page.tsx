// The signed-in home: who you are and your identity fingerprint.
import type { Metadata } from "next";
import { AccountShell } from "../_components/account-shell";
import { AccountOverview } from "./account-overview";

export const metadata: Metadata = { title: "Your account" };

export default function AccountPage() {
	return (
		<AccountShell title="Your account">
			<AccountOverview />
		</AccountShell>
	);
}
