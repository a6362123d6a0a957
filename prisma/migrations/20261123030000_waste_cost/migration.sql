-- AlterTable
ALTER TABLE "hourly_rollups" ADD COLUMN "waste_cost_usd" DECIMAL(24,12) NOT NULL DEFAULT 0;

-- Existing hours get the new measure when they are recomputed.
INSERT INTO "dirty_hours" ("org_id", "hour") SELECT DISTINCT "org_id", "hour" FROM "hourly_rollups" ON CONFLICT DO NOTHING;
