-- Resumable uploads: the stream header of a version still uploading, sealed under the file's
-- NodeKey, so the uploader can continue it after an interruption (on any device).

-- AlterTable
ALTER TABLE "file_versions" ADD COLUMN "sealed_upload_state" BYTEA;
