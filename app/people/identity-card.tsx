"use client";
// One person's identity as this account sees it: name, handle, how far it is trusted (new,
// pinned, verified, or changed since pinned) and the safety number to compare with them in
// person or on a call. Used by the People page and the Share dialog; actions come as children.
import type { ReactNode } from "react";
import type { CheckedIdentity } from "../../client/account/identity-pins";
import { Alert } from "../_components/alert";

export const IDENTITY_STATUS_TEXT: Record<CheckedIdentity["status"], string> = {
	new: "First time you look this person up: their keys are now pinned. Compare the safety number with them to verify.",
	pinned:
		"Same keys as when you first looked them up. Not yet verified by comparing safety numbers.",
	verified: "Verified: you compared safety numbers with this person.",
	changed:
		"Warning: this person's keys changed since you pinned them. Do not share with them until you have compared the new safety number with them.",
};

export function IdentityCard({
	checked,
	children,
}: {
	checked: CheckedIdentity;
	children?: ReactNode;
}) {
	return (
		<section
			aria-label={`Identity of @${checked.handle}`}
			className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-6"
		>
			<h2 className="text-lg font-semibold">
				{checked.displayName} <span className="text-slate-600">@{checked.handle}</span>
			</h2>
			<Alert
				tone={
					checked.status === "changed"
						? "error"
						: checked.status === "verified"
							? "success"
							: "notice"
				}
			>
				<span data-testid="identity-status">{IDENTITY_STATUS_TEXT[checked.status]}</span>
			</Alert>
			<div>
				<p className="text-sm text-slate-600">Safety number</p>
				<p className="font-mono text-lg tracking-wide" data-testid="safety-number">
					{checked.safetyNumber.join(" ")}
				</p>
			</div>
			{children}
		</section>
	);
}
