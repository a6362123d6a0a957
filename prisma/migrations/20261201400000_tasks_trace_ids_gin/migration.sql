-- Settlement finds the tasks that contain a trace (to rebuild them) by trace id: a GIN index on the array.
-- fastupdate off: with the pending list on, every lookup scans up to 4 MB of pending entries — settlement does 500
-- lookups per batch, so that made it ~4x slower (bench/settlement.ts), while direct inserts of 1–2 ids per task are cheap.
CREATE INDEX "tasks_trace_ids_idx" ON "tasks" USING GIN ("trace_ids") WITH (fastupdate = off);
