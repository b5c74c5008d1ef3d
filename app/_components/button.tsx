// Buttons with Coffre's look: primary, secondary and danger; `busy` disables and announces work.
import type { ComponentProps } from "react";

const VARIANTS = {
	primary: "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-brand-600/60",
	secondary: "border border-slate-300 bg-white text-ink hover:bg-slate-50 disabled:text-slate-400",
	danger: "bg-red-700 text-white hover:bg-red-800 disabled:bg-red-700/60",
} as const;

export function Button({
	variant = "primary",
	busy = false,
	className = "",
	children,
	disabled,
	...props
}: ComponentProps<"button"> & { variant?: keyof typeof VARIANTS; busy?: boolean }) {
	return (
		<button
			type="button"
			{...props}
			disabled={disabled || busy}
			aria-busy={busy || undefined}
			className={`inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 font-semibold shadow-sm transition disabled:cursor-not-allowed ${VARIANTS[variant]} ${className}`}
		>
			{busy ? (
				<span
					aria-hidden="true"
					className="h-4 w-4 animate-spin rounded-full border-2 border-current border-t-transparent"
				/>
			) : null}
			{children}
		</button>
	);
}
