import type pg from "pg";
import type { Db } from "../../db/client.ts";
import { DIMENSIONS, FEATURE_DIMENSIONS, MEASURES, spanFactsSql, sumMeasuresSql, taskFactsSql } from "../../db/sql/cost-facts.ts";
import { withTransaction } from "../../db/transaction.ts";
import { invalidatePromptDay } from "./prompt-day-stats.ts";

/**
 * Incremental rollups. A batch that settles traces at ingest appends what they add to the rollups (their calls and
 * tasks, summed per hour × dimensions) to rollup_deltas, in its own transaction; the worker folds the deltas into the
 * hourly and daily tables. Re-summing the current hour from its spans instead took seconds at 12k spans/s and was
 * where the soak's ingest p99 stalls came from (bench/RESULTS.md).
 *
 * The full recompute (recompute-rollups.ts) stays for everything a delta cannot express: traces the settler rebuilds,
 * repricing, GPU pool costs. It deletes the hour's deltas in the same statement that re-reads the hour's spans, so one
 * snapshot decides both: a delta committed before it is absorbed (its spans are counted), one committed after it
 * stays for the next fold (its spans were not visible). Folds and recomputes of one org-day are serialized by
 * lockRollupDay, because both change the daily tables by differences.
 */

const dims = DIMENSIONS.join(", ");
const measures = MEASURES.join(", ");

/** A pool may serve the call (recompute-pool-hours.ts matches the same way): its GPU cost is known only on recompute. */
const POOL_SERVES_CALL = "(s.model = ANY(p.serves_models) OR s.request_model = ANY(p.serves_models) OR s.server_address = ANY(p.serves_addresses))";

const RECORD_DELTAS_SQL = `
WITH pooled AS (
  SELECT EXISTS (SELECT 1 FROM gpu_pools WHERE org_id = $1) AND EXISTS (
    SELECT 1 FROM spans s JOIN gpu_pools p ON p.org_id = s.org_id AND ${POOL_SERVES_CALL}
    WHERE s.org_id = $1 AND s.trace_id = ANY($2::text[]) AND s.is_llm_call
  ) AS hit
), recorded AS (
  INSERT INTO rollup_deltas (org_id, hour, ${dims}, ${measures})
  SELECT f.org_id, f.hour, ${DIMENSIONS.map((d) => `f.${d}`).join(", ")}, ${sumMeasuresSql()}
  FROM (${spanFactsSql("s.org_id = $1 AND s.trace_id = ANY($2::text[])")}
    UNION ALL
    ${taskFactsSql("t.org_id = $1 AND t.task_key = ANY($3::text[])")}) f
  WHERE NOT (SELECT hit FROM pooled)
  GROUP BY f.org_id, f.hour, ${DIMENSIONS.map((d) => `f.${d}`).join(", ")}
  RETURNING 1
)
SELECT (SELECT hit FROM pooled) AS pooled, (SELECT count(*) FROM recorded)::int AS delta_rows`;

/**
 * Appends the rollup deltas of traces settled in the caller's transaction: their LLM calls (all stored by this
 * transaction) and the tasks it claimed. Returns false, recording nothing, when a GPU pool of the org may serve one of
 * the calls: the caller then marks the hours for a full recompute, which prices pooled calls.
 */
export async function recordRollupDeltas(client: pg.PoolClient, orgId: string, traceIds: string[], taskKeys: string[]): Promise<boolean> {
  const { rows } = await client.query<{ pooled: boolean }>(RECORD_DELTAS_SQL, [orgId, traceIds, taskKeys]);
  return !rows[0]!.pooled;
}

/** One fold or recompute of an org-day at a time (the daily tables are updated by differences). */
export async function lockRollupDay(client: pg.PoolClient, orgId: string, hour: Date): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext($1), hashtext(date_trunc('day', $2::timestamptz, 'UTC')::text))", [orgId, hour]);
}

const addOnConflict = (table: string) => MEASURES.map((m) => `${m} = ${table}.${m} + excluded.${m}`).join(", ");
const featureDims = FEATURE_DIMENSIONS.join(", ");
const DAY = "date_trunc('day', $2::timestamptz, 'UTC')";

// One statement, so the deltas it deletes are exactly the ones it adds to all four tables.
const FOLD_HOUR_SQL = `
WITH d AS (DELETE FROM rollup_deltas WHERE org_id = $1::text AND hour = $2::timestamptz RETURNING *),
g AS (SELECT ${dims}, ${sumMeasuresSql("d")} FROM d GROUP BY ${dims}),
h AS (INSERT INTO hourly_rollups (org_id, hour, ${dims}, ${measures}) SELECT $1, $2, ${dims}, ${measures} FROM g
  ON CONFLICT (org_id, hour, ${dims}) DO UPDATE SET ${addOnConflict("hourly_rollups")}),
hf AS (INSERT INTO hourly_feature_rollups (org_id, hour, ${featureDims}, ${measures})
  SELECT $1, $2, ${featureDims}, ${sumMeasuresSql("g")} FROM g GROUP BY ${featureDims}
  ON CONFLICT (org_id, hour, ${featureDims}) DO UPDATE SET ${addOnConflict("hourly_feature_rollups")}),
dd AS (INSERT INTO daily_rollups (org_id, day, ${dims}, ${measures}) SELECT $1, ${DAY}, ${dims}, ${measures} FROM g
  ON CONFLICT (org_id, day, ${dims}) DO UPDATE SET ${addOnConflict("daily_rollups")}),
df AS (INSERT INTO daily_feature_rollups (org_id, day, ${featureDims}, ${measures})
  SELECT $1, ${DAY}, ${featureDims}, ${sumMeasuresSql("g")} FROM g GROUP BY ${featureDims}
  ON CONFLICT (org_id, day, ${featureDims}) DO UPDATE SET ${addOnConflict("daily_feature_rollups")})
SELECT count(*)::int AS n FROM d`;

/** Folds one org-hour's pending deltas into the rollups; returns how many delta rows it folded. */
export async function foldRollupHour({ db, orgId, hour }: { db: Db; orgId: string; hour: Date }): Promise<number> {
  return withTransaction(db.pool, async (client) => {
    await lockRollupDay(client, orgId, hour);
    await invalidatePromptDay(client, orgId, hour); // a late call can land in a closed day
    const { rows } = await client.query<{ n: number }>(FOLD_HOUR_SQL, [orgId, hour]);
    return rows[0]!.n;
  });
}

/** Folds the pending deltas of up to `limit` org-hours, oldest first; returns how many org-hours it folded. */
export async function foldRollupDeltas({ db, limit = 50 }: { db: Db; limit?: number }): Promise<number> {
  const { rows } = await db.pool.query<{ org_id: string; hour: Date }>(
    "SELECT org_id, hour FROM rollup_deltas GROUP BY org_id, hour ORDER BY min(id) LIMIT $1",
    [limit],
  );
  for (const row of rows) await foldRollupHour({ db, orgId: row.org_id, hour: row.hour });
  return rows.length;
}
