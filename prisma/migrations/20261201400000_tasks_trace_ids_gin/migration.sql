-- Settlement finds the tasks that contain a trace (to rebuild them) by trace id: a GIN index on the array.
CREATE INDEX "tasks_trace_ids_idx" ON "tasks" USING GIN ("trace_ids");
