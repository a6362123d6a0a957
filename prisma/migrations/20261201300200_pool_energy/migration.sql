-- GPU energy per pool-hour from the GPUs' cumulative energy counters (DCGM total energy), shown with GPU usage.
-- A pool with an electricity price ($/kWh) adds the energy cost to its hourly cost; without one, energy is
-- reported but costs nothing extra.
-- AlterTable
ALTER TABLE "gpu_pools" ADD COLUMN "usd_per_kwh" DECIMAL(12,6);

-- AlterTable
ALTER TABLE "gpu_pool_hours" ADD COLUMN "energy_kwh" DOUBLE PRECISION,
ADD COLUMN "energy_cost_usd" DECIMAL(24,12);

-- Existing pool-hours get their energy when recomputed.
INSERT INTO "dirty_hours" ("org_id", "hour") SELECT DISTINCT "org_id", "hour" FROM "gpu_pool_hours" ON CONFLICT DO NOTHING;
