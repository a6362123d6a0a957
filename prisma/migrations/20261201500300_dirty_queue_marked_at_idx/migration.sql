-- The settlement and rollup queues are taken oldest first (`WHERE marked_at <= … ORDER BY marked_at LIMIT n`).
-- Without an index every batch seq-scanned and top-N-sorted the whole queue: 165 ms per batch of 500 on both cores
-- at an 800k-trace backlog (0.6 ms with the index), so the larger the backlog the slower it drained (the soak's
-- growing settlement backlog, bench/RESULTS.md).
CREATE INDEX "dirty_traces_marked_at_idx" ON "dirty_traces"("marked_at");
CREATE INDEX "dirty_hours_marked_at_idx" ON "dirty_hours"("marked_at");
