-- spans(org_id, task_id) serves only lookups of one explicit task id (settlement's sibling traces, the ingest-time
-- history check), and most spans carry none (the task id is set on a task's root span): index only those that do,
-- one index entry fewer for every other span stored.
CREATE INDEX "spans_org_id_task_id_present_idx" ON "spans" ("org_id", "task_id") WHERE "task_id" IS NOT NULL;
DROP INDEX "spans_org_id_task_id_idx";
