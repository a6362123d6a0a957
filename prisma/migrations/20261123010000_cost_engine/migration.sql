-- AlterTable
ALTER TABLE "spans" ADD COLUMN "resolved_feature" TEXT,
ADD COLUMN "resolved_task_key" TEXT,
ADD COLUMN "resolved_task_type" TEXT,
ADD COLUMN "resolved_customer_id" TEXT,
ADD COLUMN "is_retry" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "is_retry_waste" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "pool_id" TEXT,
ADD COLUMN "gpu_cost_usd" DECIMAL(24,12);

-- CreateTable
CREATE TABLE "price_rows" (
    "id" TEXT NOT NULL,
    "org_id" TEXT,
    "source" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "input_usd_per_mtok" DECIMAL(20,10),
    "cached_input_usd_per_mtok" DECIMAL(20,10),
    "cache_write_usd_per_mtok" DECIMAL(20,10),
    "output_usd_per_mtok" DECIMAL(20,10),
    "discount_percent" DECIMAL(7,4),
    "details" JSONB NOT NULL DEFAULT '{}',
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3),
    "catalog_version" TEXT,
    "created_by_user_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "price_rows_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "price_audits" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "price_row_id" TEXT,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "repriced_calls" INTEGER NOT NULL DEFAULT 0,
    "delta_usd" DECIMAL(24,12) NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "price_audits_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "gpu_pools" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "gpu_type" TEXT NOT NULL,
    "gpu_count" INTEGER NOT NULL,
    "usd_per_gpu_hour" DECIMAL(12,6) NOT NULL,
    "match_hosts" TEXT[],
    "match_gpu_uuids" TEXT[],
    "match_labels" JSONB NOT NULL DEFAULT '{}',
    "serves_models" TEXT[],
    "serves_addresses" TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "gpu_pools_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "scrape_targets" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "interval_seconds" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "last_scrape_at" TIMESTAMP(3),
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "scrape_targets_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "tasks" (
    "org_id" TEXT NOT NULL,
    "task_key" TEXT NOT NULL,
    "feature" TEXT,
    "task_type" TEXT,
    "customer_id" TEXT,
    "outcome" TEXT NOT NULL,
    "start_time" TIMESTAMPTZ(6) NOT NULL,
    "end_time" TIMESTAMPTZ(6) NOT NULL,
    "calls" INTEGER NOT NULL,
    "failed_calls" INTEGER NOT NULL,
    "retry_calls" INTEGER NOT NULL,
    "unpriced_calls" INTEGER NOT NULL,
    "input_tokens" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,
    "cost_usd" DECIMAL(24,12) NOT NULL,
    "retry_cost_usd" DECIMAL(24,12) NOT NULL,
    "failed_cost_usd" DECIMAL(24,12) NOT NULL,
    "primary_provider" TEXT,
    "primary_model" TEXT,
    "is_loop" BOOLEAN NOT NULL,
    "trace_ids" TEXT[],
    CONSTRAINT "tasks_pkey" PRIMARY KEY ("org_id","task_key")
);

CREATE TABLE "dirty_traces" (
    "org_id" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "marked_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dirty_traces_pkey" PRIMARY KEY ("org_id","trace_id")
);

CREATE TABLE "dirty_hours" (
    "org_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "marked_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dirty_hours_pkey" PRIMARY KEY ("org_id","hour")
);

CREATE TABLE "hourly_rollups" (
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
    "tasks" BIGINT NOT NULL,
    "successful_tasks" BIGINT NOT NULL,
    "loop_tasks" BIGINT NOT NULL,
    "system_prompt_tokens" BIGINT NOT NULL,
    CONSTRAINT "hourly_rollups_pkey" PRIMARY KEY ("org_id","hour","feature","task_type","provider","model","customer_id")
);

CREATE TABLE "gpu_pool_hours" (
    "org_id" TEXT NOT NULL,
    "pool_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "gpus_reporting" INTEGER NOT NULL,
    "mean_utilization" DOUBLE PRECISION NOT NULL,
    "cost_usd" DECIMAL(24,12) NOT NULL,
    "busy_cost_usd" DECIMAL(24,12) NOT NULL,
    "idle_cost_usd" DECIMAL(24,12) NOT NULL,
    "calls" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,
    CONSTRAINT "gpu_pool_hours_pkey" PRIMARY KEY ("org_id","pool_id","hour")
);

-- CreateIndex
CREATE INDEX "spans_org_id_resolved_task_key_idx" ON "spans"("org_id", "resolved_task_key");
CREATE INDEX "price_rows_org_id_provider_model_idx" ON "price_rows"("org_id", "provider", "model");
CREATE INDEX "price_rows_provider_model_idx" ON "price_rows"("provider", "model");
CREATE INDEX "price_audits_org_id_created_at_idx" ON "price_audits"("org_id", "created_at");
CREATE UNIQUE INDEX "gpu_pools_org_id_name_key" ON "gpu_pools"("org_id", "name");
CREATE INDEX "scrape_targets_org_id_idx" ON "scrape_targets"("org_id");
CREATE INDEX "tasks_org_id_start_time_idx" ON "tasks"("org_id", "start_time");
CREATE INDEX "tasks_org_id_feature_start_time_idx" ON "tasks"("org_id", "feature", "start_time");
CREATE INDEX "hourly_rollups_org_id_hour_idx" ON "hourly_rollups"("org_id", "hour");
