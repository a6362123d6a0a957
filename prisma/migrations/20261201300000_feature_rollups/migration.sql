-- Hourly rollups summed over customers: most dashboard queries (overview, features, models) never group or
-- filter by customer, and an org with hundreds of customers has ~50x fewer rows here than in hourly_rollups.
-- CreateTable
CREATE TABLE "hourly_feature_rollups" (
    "org_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "feature" TEXT NOT NULL DEFAULT '',
    "task_type" TEXT NOT NULL DEFAULT '',
    "provider" TEXT NOT NULL DEFAULT '',
    "model" TEXT NOT NULL DEFAULT '',
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
    CONSTRAINT "hourly_feature_rollups_pkey" PRIMARY KEY ("org_id","hour","feature","task_type","provider","model")
);

-- Existing hours: exactly the sums of their per-customer rows.
INSERT INTO "hourly_feature_rollups" SELECT "org_id", "hour", "feature", "task_type", "provider", "model",
  sum("calls"), sum("failed_calls"), sum("retry_calls"), sum("unpriced_calls"), sum("input_tokens"), sum("cached_input_tokens"),
  sum("cache_write_tokens"), sum("output_tokens"), sum("reasoning_tokens"), sum("api_cost_usd"), sum("gpu_cost_usd"),
  sum("idle_gpu_cost_usd"), sum("retry_cost_usd"), sum("failed_cost_usd"), sum("waste_cost_usd"), sum("tasks"),
  sum("successful_tasks"), sum("loop_tasks"), sum("system_prompt_tokens")
FROM "hourly_rollups" GROUP BY "org_id", "hour", "feature", "task_type", "provider", "model";
