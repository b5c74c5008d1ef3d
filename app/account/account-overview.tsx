"use client";
// Account overview: the user's identity and its fingerprint, which people compare when they
// verify each other before sharing (DESIGN §3).
import { identityFingerprint } from "../../client/account/account-keys";
import { useUnlockedAccount } from "../_components/use-account";

export function AccountOverview() {
	const account = useUnlockedAccount();
	if (!account) return null;
	return (
		<dl className="grid max-w-2xl gap-4 rounded-lg border border-slate-200 bg-white p-6">
			<div>
				<dt className="text-sm text-slate-600">Name</dt>
				<dd className="font-semibold">{account.user.displayName}</dd>
			</div>
			<div>
				<dt className="text-sm text-slate-600">Handle</dt>
				<dd className="font-semibold">@{account.user.handle}</dd>
			</div>
			<div>
				<dt className="text-sm text-slate-600">Identity fingerprint</dt>
				<dd className="font-mono text-sm" data-testid="identity-fingerprint">
					{identityFingerprint(account.keys.publicIdentity)}
				</dd>
				<dd className="mt-1 text-sm text-slate-600">
					People you share with can compare this with what their Coffre shows for you.
				</dd>
			</div>
		</dl>
	);
}
