// A message box: errors are announced to screen readers at once, notices politely.
import type { ReactNode } from "react";

export function Alert({
	tone = "error",
	children,
}: {
	tone?: "error" | "notice" | "success";
	children: ReactNode;
}) {
	const styles = {
		error: "border-red-300 bg-red-50 text-red-900",
		notice: "border-amber-300 bg-amber-50 text-amber-900",
		success: "border-emerald-300 bg-emerald-50 text-emerald-900",
	}[tone];
	return (
		<div
			role={tone === "error" ? "alert" : "status"}
			className={`rounded-md border px-4 py-3 text-sm ${styles}`}
		>
			{children}
		</div>
	);
}
