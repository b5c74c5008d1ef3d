-- Vaults and their tree of folders and files (sealed names, wrapped node keys).

-- CreateTable
CREATE TABLE "vaults" (
    "id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "wrapped_vault_key" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vaults_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vault_nodes" (
    "id" UUID NOT NULL,
    "vault_id" UUID NOT NULL,
    "parent_id" UUID,
    "kind" VARCHAR(8) NOT NULL,
    "sealed_name" BYTEA NOT NULL,
    "wrapped_node_key" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trashed_at" TIMESTAMPTZ(3),

    CONSTRAINT "vault_nodes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "vaults_owner_id_idx" ON "vaults"("owner_id");

-- CreateIndex
CREATE INDEX "vault_nodes_vault_id_parent_id_idx" ON "vault_nodes"("vault_id", "parent_id");

-- CreateIndex
CREATE INDEX "vault_nodes_parent_id_idx" ON "vault_nodes"("parent_id");

-- AddForeignKey
ALTER TABLE "vaults" ADD CONSTRAINT "vaults_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vault_nodes" ADD CONSTRAINT "vault_nodes_vault_id_fkey" FOREIGN KEY ("vault_id") REFERENCES "vaults"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vault_nodes" ADD CONSTRAINT "vault_nodes_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "vault_nodes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
