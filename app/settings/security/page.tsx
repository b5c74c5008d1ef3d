// Settings → Security log.
import type { Metadata } from "next";
import { AccountShell } from "../../_components/account-shell";
import { SecurityLog } from "./security-log";

export const metadata: Metadata = { title: "Security log" };

export default function SecurityPage() {
	return (
		<AccountShell title="Security log">
			<SecurityLog />
		</AccountShell>
	);
}
