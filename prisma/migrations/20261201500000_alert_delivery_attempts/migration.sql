-- The alert delivery log: one row per attempt (the outbox row keeps only the latest status).
CREATE TABLE "alert_delivery_attempts" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL,
    "http_status" INTEGER,
    "error" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    CONSTRAINT "alert_delivery_attempts_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "alert_delivery_attempts_delivery_id_attempt_key" ON "alert_delivery_attempts"("delivery_id", "attempt");
-- The log reads newest first per org, keyset-paginated on (attempted_at, id).
CREATE INDEX "alert_delivery_attempts_org_id_attempted_at_id_idx" ON "alert_delivery_attempts"("org_id", "attempted_at" DESC, "id" DESC);

-- The rule a test-send describes (event deliveries reach their rule through the event).
ALTER TABLE "alert_deliveries" ADD COLUMN "rule_id" TEXT;
