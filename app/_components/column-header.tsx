// A column header of the app's tables (vault, shares, passkeys): scoped to its column for
// screen readers, with the tables' one padding.
import type { ReactNode } from "react";

export function ColumnHeader({
	children,
	className = "",
}: {
	children: ReactNode;
	/** Extra classes (e.g. a column hidden on narrow screens). */
	className?: string;
}) {
	return (
		<th scope="col" className={`px-4 py-2 ${className}`.trim()}>
			{children}
		</th>
	);
}
