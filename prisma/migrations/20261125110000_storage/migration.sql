-- Storage: registered storage nodes, file versions and where each shard is placed.

-- CreateTable
CREATE TABLE "storage_nodes" (
    "peer_id" VARCHAR(128) NOT NULL,
    "addresses" TEXT[],
    "capacity_bytes" BIGINT NOT NULL,
    "encryption_public_key" BYTEA NOT NULL,
    "network_prefix" VARCHAR(64) NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'vetting',
    "registered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "storage_nodes_pkey" PRIMARY KEY ("peer_id")
);

-- CreateTable
CREATE TABLE "file_versions" (
    "id" UUID NOT NULL,
    "node_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "size" BIGINT NOT NULL,
    "chunk_size" INTEGER NOT NULL,
    "chunk_count" INTEGER NOT NULL,
    "data_shards" INTEGER NOT NULL,
    "parity_shards" INTEGER NOT NULL,
    "state" VARCHAR(16) NOT NULL DEFAULT 'uploading',
    "sealed_manifest" BYTEA,
    "author_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "committed_at" TIMESTAMPTZ(3),

    CONSTRAINT "file_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shard_placements" (
    "version_id" UUID NOT NULL,
    "chunk_index" INTEGER NOT NULL,
    "shard_index" INTEGER NOT NULL,
    "root" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "peer_id" VARCHAR(128) NOT NULL,
    "state" VARCHAR(16) NOT NULL DEFAULT 'ticketed',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shard_placements_pkey" PRIMARY KEY ("version_id","chunk_index","shard_index")
);

-- CreateIndex
CREATE UNIQUE INDEX "file_versions_node_id_seq_key" ON "file_versions"("node_id", "seq");

-- CreateIndex
CREATE INDEX "shard_placements_peer_id_idx" ON "shard_placements"("peer_id");

-- AddForeignKey
ALTER TABLE "file_versions" ADD CONSTRAINT "file_versions_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "vault_nodes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shard_placements" ADD CONSTRAINT "shard_placements_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "file_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shard_placements" ADD CONSTRAINT "shard_placements_peer_id_fkey" FOREIGN KEY ("peer_id") REFERENCES "storage_nodes"("peer_id") ON DELETE RESTRICT ON UPDATE CASCADE;
