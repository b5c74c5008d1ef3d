// The proxy's disk store of kfrags (DESIGN §7), under <data>/proxy/:
//   kfrags/<share id hex>.kfrag    CBOR {v, policy, sealedKFrag, uses, expiresAt, verifyingPk}
//   tombstones/<share id hex>.tomb CBOR {v, reason, until, verifyingPk}
// Each file is written to tmp/, fsynced, renamed, and the folder fsynced (store/atomic-file),
// so a crash leaves the old state or the new one. Retiring a share writes its tombstone first,
// then deletes the kfrag: after a crash between the two, loading finds both and deletes the
// kfrag. Kfrags stay sealed to the node's key on disk — this store never sees one in the clear.
// Operations on one share run one at a time (`withLock`), so use counters never race.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fsyncDir, replaceFileAtomic } from "../store/atomic-file";
import { CapacityFullError } from "../store/errors";
import { decodeMessage, encodeMessage } from "../wire/cbor";
import { fromHex } from "../wire/hex";

/** Why a share's kfrag was deleted. */
export type RetiredReason = "revoked" | "expired" | "used-up";

/** A share's kfrag as stored. */
export interface StoredKFrag {
	/** The signed share policy bytes, as received (verified before they were stored). */
	policy: Uint8Array;
	/** The kfrag, still sealed to this node's encryption key. */
	sealedKFrag: Uint8Array;
	/** Re-encryptions served so far. */
	uses: number;
	/** The policy's expiry and verifying key, kept beside it so loading and sweeping need not parse it. */
	expiresAt: number;
	verifyingPk: Uint8Array;
}

/** What stays of a retired share until `until`: enough to keep refusing it. */
export interface Tombstone {
	reason: RetiredReason;
	until: number;
	/** The policy's verifying key, so a repeated revocation can still be checked. */
	verifyingPk: Uint8Array;
}

/** What the store knows of one share. */
export type ShareState =
	| { kind: "stored"; uses: number; expiresAt: number }
	| { kind: "retired"; tombstone: Tombstone }
	| { kind: "unknown" };

/** Options of `openKFragStore`. */
export interface KFragStoreInit {
	/** The node's data folder; the store uses `<dir>/proxy`. */
	dir: string;
	/** Most kfrags plus tombstones kept. */
	maxEntries: number;
	now: () => number;
}

const KFRAG_SUFFIX = ".kfrag";
const TOMB_SUFFIX = ".tomb";
const REASONS: readonly RetiredReason[] = ["revoked", "expired", "used-up"];
/** How long a tombstone outlives an expired share, so it keeps answering SHARE_EXPIRED. */
export const EXPIRED_TOMBSTONE_GRACE_MS = 7 * 24 * 3_600_000;

/** Disk store of sealed kfrags and tombstones; open it with `openKFragStore`. */
export class KFragStore {
	private readonly live = new Map<string, { uses: number; expiresAt: number }>();
	private readonly retired = new Map<string, Tombstone>();
	private readonly locks = new Map<string, Promise<unknown>>();
	readonly kfragsDir: string;
	private readonly tombsDir: string;
	private readonly tmpDir: string;

	constructor(private readonly init: KFragStoreInit) {
		const root = join(init.dir, "proxy");
		this.kfragsDir = join(root, "kfrags");
		this.tombsDir = join(root, "tombstones");
		this.tmpDir = join(root, "tmp");
	}

	/** Kfrags held. */
	get count(): number {
		return this.live.size;
	}

	/** Tombstones held. */
	get tombstoneCount(): number {
		return this.retired.size;
	}

	/** The file of a share's kfrag (for operators and tests; it may not exist). */
	kfragPath(shareHex: string): string {
		return join(this.kfragsDir, `${shareHex}${KFRAG_SUFFIX}`);
	}

	/** Loads the index, dropping interrupted writes and kfrags whose tombstone exists. */
	async load(): Promise<void> {
		await mkdir(this.kfragsDir, { recursive: true, mode: 0o700 });
		await mkdir(this.tombsDir, { recursive: true, mode: 0o700 });
		await rm(this.tmpDir, { recursive: true, force: true });
		await mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
		for (const name of await readdir(this.tombsDir)) {
			const hex = shareHexOf(name, TOMB_SUFFIX);
			const tombstone = hex ? await readTombstone(join(this.tombsDir, name)) : null;
			if (hex && tombstone) this.retired.set(hex, tombstone);
			else await rm(join(this.tombsDir, name), { force: true });
		}
		for (const name of await readdir(this.kfragsDir)) {
			const hex = shareHexOf(name, KFRAG_SUFFIX);
			const stored = hex && !this.retired.has(hex) ? await this.readFile(hex) : null;
			if (hex && stored) this.live.set(hex, { uses: stored.uses, expiresAt: stored.expiresAt });
			else await rm(join(this.kfragsDir, name), { force: true });
		}
	}

	/** What is known of a share. */
	state(shareHex: string): ShareState {
		const entry = this.live.get(shareHex);
		if (entry) return { kind: "stored", ...entry };
		const tombstone = this.retired.get(shareHex);
		return tombstone ? { kind: "retired", tombstone } : { kind: "unknown" };
	}

	/** Runs `operation` after every earlier operation on the same share has finished. */
	async withLock<T>(shareHex: string, operation: () => Promise<T>): Promise<T> {
		const previous = this.locks.get(shareHex) ?? Promise.resolve();
		const run = previous.then(operation, operation);
		const settled = run.catch(() => undefined);
		this.locks.set(shareHex, settled);
		try {
			return await run;
		} finally {
			if (this.locks.get(shareHex) === settled) this.locks.delete(shareHex);
		}
	}

	/** Stores a new share's kfrag; CapacityFullError when the node keeps its maximum. */
	async add(shareHex: string, stored: StoredKFrag): Promise<void> {
		if (this.live.size + this.retired.size >= this.init.maxEntries) {
			throw new CapacityFullError(`this node keeps at most ${this.init.maxEntries} kfrags`);
		}
		await this.writeKFrag(shareHex, stored);
	}

	/** The stored kfrag of a share, or null when none is held (or its file is unreadable). */
	async read(shareHex: string): Promise<StoredKFrag | null> {
		return this.live.has(shareHex) ? this.readFile(shareHex) : null;
	}

	/** Counts one use durably (before the caller answers); returns the new count. */
	async recordUse(shareHex: string, stored: StoredKFrag): Promise<number> {
		const uses = stored.uses + 1;
		await this.writeKFrag(shareHex, { ...stored, uses });
		return uses;
	}

	/** Deletes a share's kfrag, keeping a tombstone until `tombstone.until`. */
	async retire(shareHex: string, tombstone: Tombstone): Promise<void> {
		const tmp = join(this.tmpDir, `${shareHex}${TOMB_SUFFIX}.${randomBytes(6).toString("hex")}`);
		await replaceFileAtomic(
			tmp,
			join(this.tombsDir, `${shareHex}${TOMB_SUFFIX}`),
			encodeMessage({ v: 1, ...tombstone }),
		);
		await fsyncDir(this.tombsDir);
		this.retired.set(shareHex, tombstone);
		this.live.delete(shareHex);
		await rm(this.kfragPath(shareHex), { force: true });
		await fsyncDir(this.kfragsDir);
	}

	/**
	 * Deletes every kfrag whose share has expired (leaving an "expired" tombstone) and every
	 * tombstone past its time. Returns how many kfrags were deleted.
	 */
	async sweepExpired(): Promise<number> {
		const now = this.init.now();
		let deleted = 0;
		for (const [hex, entry] of [...this.live]) {
			if (entry.expiresAt > now) continue;
			await this.withLock(hex, async () => {
				const stored = await this.read(hex);
				if (stored === null || stored.expiresAt > this.init.now()) return;
				await this.retire(hex, expiredTombstone(stored, now));
				deleted++;
			});
		}
		for (const [hex, tombstone] of [...this.retired]) {
			if (tombstone.until > now) continue;
			await this.withLock(hex, async () => {
				this.retired.delete(hex);
				await rm(join(this.tombsDir, `${hex}${TOMB_SUFFIX}`), { force: true });
			});
		}
		return deleted;
	}

	private async writeKFrag(shareHex: string, stored: StoredKFrag): Promise<void> {
		const tmp = join(this.tmpDir, `${shareHex}${KFRAG_SUFFIX}.${randomBytes(6).toString("hex")}`);
		await replaceFileAtomic(tmp, this.kfragPath(shareHex), encodeMessage({ v: 1, ...stored }));
		await fsyncDir(this.kfragsDir);
		this.live.set(shareHex, { uses: stored.uses, expiresAt: stored.expiresAt });
	}

	private async readFile(shareHex: string): Promise<StoredKFrag | null> {
		try {
			const value = decodeMessage(await readFile(this.kfragPath(shareHex))) as Record<
				string,
				unknown
			>;
			const { policy, sealedKFrag, uses, expiresAt, verifyingPk } = value;
			if (
				value.v !== 1 ||
				!(policy instanceof Uint8Array) ||
				!(sealedKFrag instanceof Uint8Array) ||
				!(verifyingPk instanceof Uint8Array) ||
				!Number.isSafeInteger(uses) ||
				!Number.isSafeInteger(expiresAt)
			) {
				return null;
			}
			return {
				policy,
				sealedKFrag,
				uses: uses as number,
				expiresAt: expiresAt as number,
				verifyingPk,
			};
		} catch {
			return null;
		}
	}
}

/** The tombstone of a share found expired at `now`: it keeps refusing for a grace period. */
export function expiredTombstone(stored: StoredKFrag, now: number): Tombstone {
	return {
		reason: "expired",
		until: Math.max(stored.expiresAt, now) + EXPIRED_TOMBSTONE_GRACE_MS,
		verifyingPk: stored.verifyingPk,
	};
}

function shareHexOf(name: string, suffix: string): string | null {
	if (!name.endsWith(suffix)) return null;
	const hex = name.slice(0, -suffix.length);
	return fromHex(hex, 16) === null ? null : hex;
}

async function readTombstone(path: string): Promise<Tombstone | null> {
	try {
		const value = decodeMessage(await readFile(path)) as Record<string, unknown>;
		const { reason, until, verifyingPk } = value;
		if (
			value.v !== 1 ||
			!REASONS.includes(reason as RetiredReason) ||
			!Number.isSafeInteger(until) ||
			!(verifyingPk instanceof Uint8Array)
		) {
			return null;
		}
		return { reason: reason as RetiredReason, until: until as number, verifyingPk };
	} catch {
		return null;
	}
}

/**
 * Opens (creating if needed) the kfrag store of a node's data folder.
 * @example const kfrags = await openKFragStore({ dir: dataDir, maxEntries: 50_000, now: Date.now });
 */
export async function openKFragStore(init: KFragStoreInit): Promise<KFragStore> {
	const store = new KFragStore(init);
	await store.load();
	return store;
}
