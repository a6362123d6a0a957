-- Daily prompt statistics of closed UTC days (medians are not additive, so no hourly rollup can give them), and the
-- markers of which days are complete. Readers use the raw spans for any day without a marker (today, a day whose
-- hours were just recomputed).
-- CreateTable
CREATE TABLE "daily_prompt_stats" (
    "org_id" TEXT NOT NULL,
    "day" TIMESTAMPTZ(0) NOT NULL,
    "feature" TEXT NOT NULL,
    "prompt_name" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,
    "p50_input_tokens" DOUBLE PRECISION NOT NULL,
    "p50_system_tokens" DOUBLE PRECISION,
    "versions" TEXT[],
    "provider" TEXT,
    "model" TEXT,

    CONSTRAINT "daily_prompt_stats_pkey" PRIMARY KEY ("org_id","day","feature","prompt_name")
);

-- CreateTable
CREATE TABLE "prompt_stat_days" (
    "org_id" TEXT NOT NULL,
    "day" TIMESTAMPTZ(0) NOT NULL,
    "computed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prompt_stat_days_pkey" PRIMARY KEY ("org_id","day")
);
