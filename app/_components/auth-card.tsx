// The centred card that holds the sign-up, sign-in and recovery forms.
import type { ReactNode } from "react";

export function AuthCard({
	title,
	intro,
	children,
}: {
	title: string;
	intro?: ReactNode;
	children: ReactNode;
}) {
	return (
		<div className="mx-auto max-w-lg px-6 py-12">
			<div className="rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
				<h1 className="text-2xl font-bold text-brand-900">{title}</h1>
				{intro ? <div className="mt-2 text-slate-700">{intro}</div> : null}
				<div className="mt-6">{children}</div>
			</div>
		</div>
	);
}
