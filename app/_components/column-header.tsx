// A column header of the app's tables (vault, shares, passkeys): scoped to its column for
// screen readers, with the tables' one padding.
import type { ReactNode } from "react";

export function ColumnHeader({ children }: { children: ReactNode }) {
	return (
		<th scope="col" className="px-4 py-2">
			{children}
		</th>
	);
}
