// The per-user security log (DESIGN §6): append-only rows, each chained to the previous one by
// hash = SHA-256(prevHash ‖ canonical JSON of {seq, kind, createdAt, details}), so a removed,
// reordered or edited event breaks the chain. Details never hold secrets.
import { createHash } from "node:crypto";
import type { Database, DatabaseClient } from "../db";

export type AuditEventKind =
	| "account.created"
	| "session.signed-in"
	| "session.signed-out-everywhere"
	| "passkey.added"
	| "passkey.renamed"
	| "passkey.removed"
	| "recovery.used";

type Details = Record<string, string | number | boolean | null>;

const GENESIS: Uint8Array<ArrayBuffer> = new Uint8Array(32);

export function auditEventHash(
	prevHash: Uint8Array<ArrayBuffer>,
	event: { seq: number; kind: string; createdAt: Date; details: unknown },
): Uint8Array<ArrayBuffer> {
	const body = canonicalJson({
		seq: event.seq,
		kind: event.kind,
		createdAt: event.createdAt.toISOString(),
		details: event.details,
	});
	return new Uint8Array(createHash("sha256").update(prevHash).update(body).digest());
}

/** JSON with object keys sorted, so the hash survives PostgreSQL's jsonb key reordering. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
	if (value && typeof value === "object") {
		const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
	}
	return JSON.stringify(value);
}

/** Appends an event for `userId` inside the caller's transaction. */
export async function appendAuditEvent(
	tx: DatabaseClient,
	{
		userId,
		kind,
		details = {},
		now,
	}: { userId: string; kind: AuditEventKind; details?: Details; now: Date },
): Promise<void> {
	const last = await tx.auditEvent.findFirst({ where: { userId }, orderBy: { seq: "desc" } });
	const seq = (last?.seq ?? 0) + 1;
	const prevHash = last ? new Uint8Array(last.hash) : GENESIS;
	const hash = auditEventHash(prevHash, { seq, kind, createdAt: now, details });
	await tx.auditEvent.create({
		data: { userId, seq, kind, details, createdAt: now, prevHash, hash },
	});
}

/** True when the user's events form an unbroken chain from the first. */
export async function verifyAuditChain(db: Database, userId: string): Promise<boolean> {
	const events = await db.auditEvent.findMany({ where: { userId }, orderBy: { seq: "asc" } });
	let prevHash = GENESIS;
	for (const [index, event] of events.entries()) {
		if (event.seq !== index + 1) return false;
		if (!Buffer.from(event.prevHash).equals(prevHash)) return false;
		const hash = auditEventHash(prevHash, event);
		if (!Buffer.from(event.hash).equals(hash)) return false;
		prevHash = hash;
	}
	return true;
}
