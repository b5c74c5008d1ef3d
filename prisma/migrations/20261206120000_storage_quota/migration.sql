-- Storage quota per person: NULL follows the deployment's setting (COFFRE_STORAGE_QUOTA_GB); a
-- number of bytes overrides it for one person (more for a family or a company, less for a
-- trial). Only a size, as the server already knows every version's size.

-- AlterTable
ALTER TABLE "users" ADD COLUMN "storage_quota_bytes" BIGINT;
