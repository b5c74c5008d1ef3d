-- Sharing: shares with people and links, and which storage nodes hold their kfrags.

-- CreateTable
CREATE TABLE "shares" (
    "id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "node_id" UUID NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "recipient_id" UUID,
    "capsule" BYTEA,
    "ciphertext" BYTEA,
    "policy" BYTEA,
    "sealed_share_key" BYTEA,
    "password_salt" BYTEA,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "use_limit" INTEGER,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "revoked_at" TIMESTAMPTZ(3),
    "state" VARCHAR(12) NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shares_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "share_proxies" (
    "share_id" UUID NOT NULL,
    "peer_id" VARCHAR(128) NOT NULL,

    CONSTRAINT "share_proxies_pkey" PRIMARY KEY ("share_id","peer_id")
);

-- CreateIndex
CREATE INDEX "shares_owner_id_idx" ON "shares"("owner_id");

-- CreateIndex
CREATE INDEX "shares_recipient_id_idx" ON "shares"("recipient_id");

-- CreateIndex
CREATE INDEX "shares_node_id_idx" ON "shares"("node_id");

-- CreateIndex
CREATE INDEX "share_proxies_peer_id_idx" ON "share_proxies"("peer_id");

-- AddForeignKey
ALTER TABLE "shares" ADD CONSTRAINT "shares_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shares" ADD CONSTRAINT "shares_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "vault_nodes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shares" ADD CONSTRAINT "shares_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_proxies" ADD CONSTRAINT "share_proxies_share_id_fkey" FOREIGN KEY ("share_id") REFERENCES "shares"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_proxies" ADD CONSTRAINT "share_proxies_peer_id_fkey" FOREIGN KEY ("peer_id") REFERENCES "storage_nodes"("peer_id") ON DELETE CASCADE ON UPDATE CASCADE;
