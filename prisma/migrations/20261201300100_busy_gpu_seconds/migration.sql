-- Busy GPU cost is split by modelled GPU-seconds (throughput model) when every call of the pool-hour can be
-- estimated, else by tokens; the pool-hour records which basis was used and why, each call its GPU-seconds.
-- AlterTable
ALTER TABLE "spans" ADD COLUMN "gpu_seconds" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "gpu_pool_hours" ADD COLUMN "busy_basis" TEXT NOT NULL DEFAULT 'tokens',
ADD COLUMN "busy_basis_note" TEXT,
ADD COLUMN "modelled_gpu_seconds" DOUBLE PRECISION;

-- Pool-hours computed before this change were split by tokens; recompute them on the new basis.
INSERT INTO "dirty_hours" ("org_id", "hour") SELECT DISTINCT "org_id", "hour" FROM "gpu_pool_hours" ON CONFLICT DO NOTHING;
