-- Daily rollup rows are updated in place every time one of their hours is recomputed (the current hour many times an
-- hour; a repricing or back-fill recomputes hundreds of hours in a row). Half-empty pages let those updates stay
-- HOT (same page, pruned on access without a vacuum), and a low vacuum threshold reclaims the rest early; without
-- this a 35-day back-fill left daily_rollups 3x bloated and its scans several times slower (bench/RESULTS.md).
ALTER TABLE "daily_rollups" SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000);
ALTER TABLE "daily_feature_rollups" SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000);
