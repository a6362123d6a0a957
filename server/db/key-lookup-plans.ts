/**
 * For a transaction whose statements are all lookups by key (settlement, ingest): only index nested loops.
 *
 * A table that grew since autovacuum last analyzed it (a fresh database under load, or PGlite, which never
 * analyzes) looks tiny to the planner. It then joins a 1,000-key batch against "the org's 298 spans" by
 * materializing or bitmap-scanning the whole org and filtering: measured on 400k spans of one org with statistics
 * from when it was empty, settlement's UPDATE took 20 s instead of 32 ms and an EXISTS probe 9.6 s instead of
 * 14 ms. Turning these plan types off leaves only per-key index probes, which are right at every size.
 * (`x = ANY($ids)` still scans the org through another index; callers use LATERAL subqueries for those.)
 */
export const KEY_LOOKUP_PLANS_ONLY =
  "SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; " +
  "SET LOCAL enable_material = off; SET LOCAL enable_bitmapscan = off";
