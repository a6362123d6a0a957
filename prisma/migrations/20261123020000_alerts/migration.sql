-- CreateTable
CREATE TABLE "alert_channels" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url_encrypted" TEXT NOT NULL,
    "url_hint" TEXT NOT NULL,
    "signing_secret_encrypted" TEXT,
    "disabled_at" TIMESTAMP(3),
    "disabled_reason" TEXT,
    "last_sent_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_channels_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "alert_rules" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "severity" TEXT NOT NULL,
    "cooldown_minutes" INTEGER NOT NULL,
    "channel_id" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "alert_events" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "monthly_impact_usd" DECIMAL(24,6),
    "opened_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMP(3),
    "last_evaluated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_events_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "alert_deliveries" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_status" INTEGER,
    "last_error" TEXT,
    "sent_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_channels_org_id_idx" ON "alert_channels"("org_id");
CREATE INDEX "alert_rules_org_id_idx" ON "alert_rules"("org_id");
CREATE INDEX "alert_events_org_id_status_idx" ON "alert_events"("org_id", "status");
CREATE INDEX "alert_events_rule_id_dedupe_key_idx" ON "alert_events"("rule_id", "dedupe_key");
CREATE UNIQUE INDEX "alert_deliveries_idempotency_key_key" ON "alert_deliveries"("idempotency_key");
CREATE INDEX "alert_deliveries_status_next_attempt_at_idx" ON "alert_deliveries"("status", "next_attempt_at");
CREATE INDEX "alert_deliveries_org_id_event_id_idx" ON "alert_deliveries"("org_id", "event_id");
-- At most one open event per rule and subject: a crash mid-evaluation cannot open it twice.
CREATE UNIQUE INDEX "alert_events_one_open_per_subject" ON "alert_events"("rule_id", "dedupe_key") WHERE "status" = 'open';
