// Folder and file icons as inline SVG (no emoji font needed); decorative, the name carries meaning.
export function ItemIcon({ kind }: { kind: "folder" | "file" }) {
	return (
		<svg
			viewBox="0 0 20 20"
			className="mr-1.5 inline h-4 w-4 shrink-0 align-[-2px]"
			aria-hidden="true"
			focusable="false"
		>
			{kind === "folder" ? (
				<path
					d="M2 5a2 2 0 0 1 2-2h3.6l2 2H16a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2z"
					fill="#3b82c4"
				/>
			) : (
				<path
					d="M5 2h6l4 4v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm6 0v4h4"
					fill="#94a3b8"
					stroke="#64748b"
					strokeWidth="0.8"
				/>
			)}
		</svg>
	);
}
