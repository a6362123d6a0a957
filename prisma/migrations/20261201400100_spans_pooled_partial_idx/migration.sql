-- The what-if service asks which feature × model pairs a GPU pool served in a period; without this, that is a scan
-- of every span of the period. Pool-served spans are a small share, so a partial index stays small.
CREATE INDEX "spans_pooled_org_id_start_time_idx" ON "spans" ("org_id", "start_time") WHERE "pool_id" IS NOT NULL;
