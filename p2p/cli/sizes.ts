// Human sizes for the CLI ("10GiB", "500MB", "1048576") in both directions.

const UNITS: Record<string, number> = {
	"": 1,
	b: 1,
	kb: 1e3,
	mb: 1e6,
	gb: 1e9,
	tb: 1e12,
	kib: 2 ** 10,
	mib: 2 ** 20,
	gib: 2 ** 30,
	tib: 2 ** 40,
};

/** Bytes of a size like "10GiB", or null when it is not one. */
export function parseSize(text: string): number | null {
	const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text.trim());
	if (!match) return null;
	const unit = UNITS[(match[2] ?? "").toLowerCase()];
	if (unit === undefined) return null;
	const bytes = Math.floor(Number(match[1]) * unit);
	return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}

/** "1.5 GiB" style text for a byte count. */
export function formatSize(bytes: number): string {
	const units = ["B", "KiB", "MiB", "GiB", "TiB"];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
