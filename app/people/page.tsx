// People: look someone up by handle, compare safety numbers, and see whom this account trusts.
import type { Metadata } from "next";
import { AccountShell } from "../_components/account-shell";
import { PeopleDirectory } from "./people-directory";

export const metadata: Metadata = { title: "People" };

export default function PeoplePage() {
	return (
		<AccountShell title="People">
			<PeopleDirectory />
		</AccountShell>
	);
}
