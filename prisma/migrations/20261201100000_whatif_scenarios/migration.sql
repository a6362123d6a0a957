-- Saved what-if scenario lists, per org (the list is JSON, validated with zod on write and on read).
CREATE TABLE "whatif_scenarios" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scenarios" JSONB NOT NULL,
    "created_by_user_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "whatif_scenarios_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "whatif_scenarios_org_id_name_key" ON "whatif_scenarios"("org_id", "name");
