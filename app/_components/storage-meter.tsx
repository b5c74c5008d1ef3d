"use client";
// How much storage the person's files take of what they may use (all versions, the trash
// included): a line and a bar, under the vault's listing and on the account page; amber when
// nearly full, red when full, with what to do about it.
import type { api } from "./api-client";
import { formatBytes } from "./format-bytes";

/** What files.storageUsage answers: bytes used and allowed. */
export type StorageUsage = Awaited<ReturnType<typeof api.files.storageUsage.query>>;

/** From this share of the quota on, the meter warns. */
const NEARLY_FULL = 0.9;

export function StorageMeter({ usage }: { usage: StorageUsage | undefined }) {
	if (!usage) return null;
	const { usedBytes, quotaBytes } = usage;
	const share = quotaBytes > 0 ? usedBytes / quotaBytes : 1;
	const full = usedBytes >= quotaBytes;
	const tone = full ? "text-red-800" : share >= NEARLY_FULL ? "text-amber-800" : "text-slate-600";
	return (
		<section aria-label="Storage" className="flex flex-col gap-1 text-sm">
			<p className={tone} data-testid="storage-usage">
				{formatBytes(usedBytes)} of {formatBytes(quotaBytes)} used
				{full
					? " · storage full: delete files for good from the trash, or discard interrupted uploads, to make room"
					: share >= NEARLY_FULL
						? " · nearly full"
						: ""}
			</p>
			<progress
				className="h-1.5 w-full max-w-xs"
				value={Math.min(usedBytes, quotaBytes)}
				max={Math.max(quotaBytes, 1)}
				aria-label="Storage used"
			/>
		</section>
	);
}
