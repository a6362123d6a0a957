-- Tasks carry their cache-read and cache-write token sums, written by settlement like the other sums. The CSV export
-- summed them from spans through (org_id, resolved_task_key), that index's only reader; dropping it takes a second
-- randomly-ordered index off every span insert (with the primary key, the costliest part of ingest's writes once the
-- table outgrows the buffer cache).
ALTER TABLE "tasks" ADD COLUMN "cached_input_tokens" BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN "cache_write_tokens" BIGINT NOT NULL DEFAULT 0;

UPDATE "tasks" t SET "cached_input_tokens" = s.cache_read, "cache_write_tokens" = s.cache_write
FROM (
  SELECT org_id, resolved_task_key, coalesce(sum(cache_read_tokens), 0)::int8 AS cache_read, coalesce(sum(cache_write_tokens), 0)::int8 AS cache_write
  FROM "spans" WHERE is_llm_call AND resolved_task_key IS NOT NULL
  GROUP BY org_id, resolved_task_key
) s
WHERE t.org_id = s.org_id AND t.task_key = s.resolved_task_key AND (s.cache_read <> 0 OR s.cache_write <> 0);

DROP INDEX "spans_org_id_resolved_task_key_idx";
