// Coffre's mark: a safe door with a dial. Decorative; the name beside it carries the meaning.
export function CoffreMark({ className }: { className?: string }) {
	return (
		<svg viewBox="0 0 32 32" className={className} aria-hidden="true" focusable="false">
			<rect x="3" y="3" width="26" height="26" rx="5" fill="#0f2f6e" />
			<circle cx="16" cy="16" r="7" fill="none" stroke="#d9ebff" strokeWidth="2.5" />
			<circle cx="16" cy="16" r="2" fill="#d9ebff" />
			<path
				d="M16 9v3M16 20v3M9 16h3M20 16h3"
				stroke="#d9ebff"
				strokeWidth="2"
				strokeLinecap="round"
			/>
		</svg>
	);
}
