// A labelled text input with an optional hint and error, wired for screen readers.
import { type InputHTMLAttributes, useId } from "react";

export function TextField({
	label,
	hint,
	error,
	className = "",
	...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string }) {
	const id = useId();
	const hintId = `${id}-hint`;
	const errorId = `${id}-error`;
	const describedBy =
		[hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
	return (
		<div className={`flex flex-col gap-1 ${className}`}>
			<label htmlFor={id} className="text-sm font-medium text-slate-800">
				{label}
			</label>
			<input
				id={id}
				{...props}
				aria-invalid={error ? true : undefined}
				aria-describedby={describedBy}
				className="rounded-md border border-slate-300 bg-white px-3 py-2 text-ink shadow-sm focus:border-brand-600"
			/>
			{hint ? (
				<p id={hintId} className="text-sm text-slate-600">
					{hint}
				</p>
			) : null}
			{error ? (
				<p id={errorId} className="text-sm text-red-800">
					{error}
				</p>
			) : null}
		</div>
	);
}
