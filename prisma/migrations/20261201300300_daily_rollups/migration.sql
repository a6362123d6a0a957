-- Daily rollups (UTC days), kept exactly equal to the sums of their hours: long ranges (30/90-day dashboards, the
-- read API) read whole days here and only the edge hours from the hourly tables — ~24x fewer rows.
-- CreateTable
CREATE TABLE "daily_rollups" (
    "org_id" TEXT NOT NULL,
    "day" TIMESTAMPTZ(0) NOT NULL,
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
    CONSTRAINT "daily_rollups_pkey" PRIMARY KEY ("org_id","day","feature","task_type","provider","model","customer_id")
);

-- CreateTable
CREATE TABLE "daily_feature_rollups" (
    "org_id" TEXT NOT NULL,
    "day" TIMESTAMPTZ(0) NOT NULL,
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
    CONSTRAINT "daily_feature_rollups_pkey" PRIMARY KEY ("org_id","day","feature","task_type","provider","model")
);

-- Existing days: the sums of their hours.
INSERT INTO "daily_rollups" ("org_id", "day", "feature", "task_type", "provider", "model", "customer_id", "calls", "failed_calls", "retry_calls", "unpriced_calls", "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens", "api_cost_usd", "gpu_cost_usd", "idle_gpu_cost_usd", "retry_cost_usd", "failed_cost_usd", "waste_cost_usd", "tasks", "successful_tasks", "loop_tasks", "system_prompt_tokens")
SELECT "org_id", date_trunc('day', "hour", 'UTC'), "feature", "task_type", "provider", "model", "customer_id", sum("calls"), sum("failed_calls"), sum("retry_calls"), sum("unpriced_calls"), sum("input_tokens"), sum("cached_input_tokens"), sum("cache_write_tokens"), sum("output_tokens"), sum("reasoning_tokens"), sum("api_cost_usd"), sum("gpu_cost_usd"), sum("idle_gpu_cost_usd"), sum("retry_cost_usd"), sum("failed_cost_usd"), sum("waste_cost_usd"), sum("tasks"), sum("successful_tasks"), sum("loop_tasks"), sum("system_prompt_tokens")
FROM "hourly_rollups" GROUP BY "org_id", date_trunc('day', "hour", 'UTC'), "feature", "task_type", "provider", "model", "customer_id";

INSERT INTO "daily_feature_rollups" ("org_id", "day", "feature", "task_type", "provider", "model", "calls", "failed_calls", "retry_calls", "unpriced_calls", "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens", "api_cost_usd", "gpu_cost_usd", "idle_gpu_cost_usd", "retry_cost_usd", "failed_cost_usd", "waste_cost_usd", "tasks", "successful_tasks", "loop_tasks", "system_prompt_tokens")
SELECT "org_id", date_trunc('day', "hour", 'UTC'), "feature", "task_type", "provider", "model", sum("calls"), sum("failed_calls"), sum("retry_calls"), sum("unpriced_calls"), sum("input_tokens"), sum("cached_input_tokens"), sum("cache_write_tokens"), sum("output_tokens"), sum("reasoning_tokens"), sum("api_cost_usd"), sum("gpu_cost_usd"), sum("idle_gpu_cost_usd"), sum("retry_cost_usd"), sum("failed_cost_usd"), sum("waste_cost_usd"), sum("tasks"), sum("successful_tasks"), sum("loop_tasks"), sum("system_prompt_tokens")
FROM "hourly_feature_rollups" GROUP BY "org_id", date_trunc('day', "hour", 'UTC'), "feature", "task_type", "provider", "model";
