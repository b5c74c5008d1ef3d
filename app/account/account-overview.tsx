"use client";
// Account overview: the user's identity and its fingerprint, which people compare when they
// verify each other before sharing (DESIGN §3), and the storage their files take.
import { useEffect, useState } from "react";
import { identityFingerprint } from "../../client/account/account-keys";
import { api } from "../_components/api-client";
import { StorageMeter, type StorageUsage } from "../_components/storage-meter";
import { useUnlockedAccount } from "../_components/use-account";

export function AccountOverview() {
	const account = useUnlockedAccount();
	const [usage, setUsage] = useState<StorageUsage>();
	useEffect(() => {
		// A guide only: when it cannot be read, the line is left out.
		api.files.storageUsage.query().then(setUsage, () => undefined);
	}, []);
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
			{usage ? (
				<div>
					<dt className="text-sm text-slate-600">Storage</dt>
					<dd className="mt-1">
						<StorageMeter usage={usage} />
					</dd>
				</div>
			) : null}
		</dl>
	);
}
