"use client";
// The folder path above a listing: every level but the current one is a button back to it; the
// current one is marked for screen readers (aria-current).

export interface Crumb {
	key: string;
	name: string;
}

export function Breadcrumbs({
	crumbs,
	onSelect,
}: {
	crumbs: Crumb[];
	/** Called with the index of the level chosen. */
	onSelect: (index: number) => void;
}) {
	return (
		<nav aria-label="Folder path">
			<ol className="flex flex-wrap items-center gap-1 text-sm">
				{crumbs.map((crumb, index) => (
					<li key={crumb.key} className="flex items-center gap-1">
						{index > 0 ? <span aria-hidden="true">/</span> : null}
						{index === crumbs.length - 1 ? (
							<span aria-current="page" className="font-semibold">
								{crumb.name}
							</span>
						) : (
							<button
								type="button"
								className="text-brand-700 underline"
								onClick={() => onSelect(index)}
							>
								{crumb.name}
							</button>
						)}
					</li>
				))}
			</ol>
		</nav>
	);
}
