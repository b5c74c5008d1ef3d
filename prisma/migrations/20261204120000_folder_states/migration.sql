-- Folder states: each folder's contents as its owner's browser last sealed them (ids, hashes of
-- sealed names and wrapped keys, newest versions) with a sequence number, so browsers detect a
-- listing that leaves items out or shows an older state (DESIGN §9.3). `folder_id` is the
-- folder's id, or the vault's id for the top level.

-- CreateTable
CREATE TABLE "folder_states" (
    "vault_id" UUID NOT NULL,
    "folder_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "sealed_state" BYTEA NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "folder_states_pkey" PRIMARY KEY ("vault_id","folder_id")
);

-- AddForeignKey
ALTER TABLE "folder_states" ADD CONSTRAINT "folder_states_vault_id_fkey" FOREIGN KEY ("vault_id") REFERENCES "vaults"("id") ON DELETE CASCADE ON UPDATE CASCADE;
