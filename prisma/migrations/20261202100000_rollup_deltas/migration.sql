-- What each ingest batch settled adds to the rollups, appended by the batch in its own transaction and folded into
-- hourly/daily rollups by the worker (rollup-deltas.ts). Append-only with no unique key, so concurrent batches never
-- wait on one another's rows (marking the current hour dirty made them all update one row); a fold costs what the
-- deltas cost, not what the hour's spans cost.
CREATE TABLE "rollup_deltas" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "feature" TEXT NOT NULL DEFAULT '',
    "task_type" TEXT NOT NULL DEFAULT '',
    "provider" TEXT NOT NULL DEFAULT '',
    "model" TEXT NOT NULL DEFAULT '',
    "customer_id" TEXT NOT NULL DEFAULT '',
    "calls" BIGINT NOT NULL,
    "failed_calls" BIGINT NOT NULL,
    "retry_calls" BIGINT NOT NULL,
    "unpriced_calls" BIGINT NOT NULL,
    "input_tokens" BIGINT NOT NULL,
    "cached_input_tokens" BIGINT NOT NULL,
    "cache_write_tokens" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,
    "reasoning_tokens" BIGINT NOT NULL,
    "api_cost_usd" DECIMAL(24,12) NOT NULL,
    "gpu_cost_usd" DECIMAL(24,12) NOT NULL,
    "idle_gpu_cost_usd" DECIMAL(24,12) NOT NULL,
    "retry_cost_usd" DECIMAL(24,12) NOT NULL,
    "failed_cost_usd" DECIMAL(24,12) NOT NULL,
    "waste_cost_usd" DECIMAL(24,12) NOT NULL,
    "tasks" BIGINT NOT NULL,
    "successful_tasks" BIGINT NOT NULL,
    "loop_tasks" BIGINT NOT NULL,
    "system_prompt_tokens" BIGINT NOT NULL,
    CONSTRAINT "rollup_deltas_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "rollup_deltas_org_id_hour_idx" ON "rollup_deltas"("org_id", "hour");

-- Same tenant policy as every table with an org_id (20261201500200_tenant_row_level_security).
ALTER TABLE "rollup_deltas" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "rollup_deltas" USING (org_id = current_setting('inferledger.org_id', true)) WITH CHECK (org_id = current_setting('inferledger.org_id', true));
