// Names and limits of the audit protocol (DESIGN §5 Protocols).

export const AUDIT_PROTOCOL = "/coffre/audit/1.0.0";
export const AUDIT_MESSAGE_VERSION = 1;
/** Challenge nonce length: fresh per challenge, echoed in the answer. */
export const AUDIT_NONCE_BYTES = 16;
/** Most proof hashes a shard tree can need (8 MiB / 16 KiB = 512 leaves → 9; room to spare). */
export const MAX_PROOF_HASHES = 32;
/** Audit answers are one block plus a path: small and quick. */
export const AUDIT_TIMEOUT_MS = 10_000;
