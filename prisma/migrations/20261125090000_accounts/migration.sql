-- Accounts: identities, PRF-wrapped keys, recovery kits, passphrase wraps, WebAuthn challenges,
-- the audit log and rate limits.

-- AlterTable
ALTER TABLE "users" ADD COLUMN "public_identity" BYTEA NOT NULL,
ADD COLUMN "sealed_identity_secrets" BYTEA NOT NULL;

-- AlterTable
ALTER TABLE "credentials" ADD COLUMN "prf_salt" BYTEA,
ADD COLUMN "wrapped_account_key" BYTEA;

-- CreateTable
CREATE TABLE "recovery_kits" (
    "user_id" UUID NOT NULL,
    "wrapped_account_key" BYTEA NOT NULL,
    "verifying_key" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recovery_kits_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "passphrase_wraps" (
    "user_id" UUID NOT NULL,
    "salt" BYTEA NOT NULL,
    "wrapped_account_key" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "passphrase_wraps_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "webauthn_challenges" (
    "id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "purpose" VARCHAR(16) NOT NULL,
    "challenge" VARCHAR(64) NOT NULL,
    "pending_user_id" UUID,
    "handle" VARCHAR(32),
    "display_name" VARCHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webauthn_challenges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "prev_hash" BYTEA NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(128) NOT NULL,
    "window_start_at" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "webauthn_challenges_challenge_key" ON "webauthn_challenges"("challenge");

-- CreateIndex
CREATE INDEX "webauthn_challenges_session_id_idx" ON "webauthn_challenges"("session_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_user_id_seq_key" ON "audit_events"("user_id", "seq");

-- AddForeignKey
ALTER TABLE "recovery_kits" ADD CONSTRAINT "recovery_kits_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "passphrase_wraps" ADD CONSTRAINT "passphrase_wraps_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webauthn_challenges" ADD CONSTRAINT "webauthn_challenges_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
