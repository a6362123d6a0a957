import type pg from "pg";
import { scalarArray, textArray } from "../../db/bulk/pg-array.ts";
import type { Db } from "../../db/client.ts";
import { namedStatement } from "../../db/named-statement.ts";
import { DIMENSIONS, FEATURE_DIMENSIONS, MEASURES, type Measure, spanFactsSql, sumMeasuresSql, taskFactsSql } from "../../db/sql/cost-facts.ts";
import { POOL_SERVES_CALL_SQL } from "../../db/sql/pool-match.ts";
import { withTransaction } from "../../db/transaction.ts";
import { ingestRollupDeltas, type DeltaSpan, type RollupDeltaRow } from "../../domain/costs/ingest-rollup-deltas.ts";
import { picoNumberToString } from "../../domain/costs/pico-usd.ts";
import type { SettledTask } from "../../domain/settlement/settle-traces.ts";
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

// The batch's spans are found by key, one primary-key probe per trace id: a LATERAL subquery per unnested id, kept from
// being flattened into a join by OFFSET 0. Its ORDER BY is what only the primary key delivers without a sort, so the
// planner keeps to it even when statistics say the org has a row or two (a fresh database): as `trace_id = ANY($2)`, it
// walked all of the org's spans by start time instead (~57 ms per batch, half the ingest rate in bench/ingest-load.ts).
// The ORDER BY alone was not always enough: with statistics saying the org holds a row or two, the planner still
// sometimes walked the org's spans by start time and sorted the few rows (seen in CI). Sorts off leaves the primary-key probe the only
// cheap plan; ingest transactions already run so (INGEST_PLAN_SETTINGS, store-span-batch.ts), set again here for any
// other caller.
export const DELTA_PLAN_SETTINGS = "SET LOCAL enable_sort = off";
const BATCH_SPANS =
  "unnest($2::text[]) AS b(trace_id) CROSS JOIN LATERAL (SELECT * FROM spans WHERE org_id = $1 AND trace_id = b.trace_id ORDER BY org_id, trace_id, span_id OFFSET 0) s";
// The tasks the batch claimed, as it wrote them (insert-tasks.ts): no need to read them back.
const BATCH_TASKS = `(SELECT $1::text AS org_id, u.* FROM unnest($3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bool[])
  AS u(start_time, feature, task_type, customer_id, outcome, primary_provider, primary_model, is_loop)) t`;

export const RECORD_DELTAS_SQL = `
WITH pooled AS (
  SELECT EXISTS (SELECT 1 FROM gpu_pools WHERE org_id = $1) AND EXISTS (
    SELECT 1 FROM ${BATCH_SPANS} JOIN gpu_pools p ON p.org_id = s.org_id AND ${POOL_SERVES_CALL_SQL}
    WHERE s.is_llm_call
  ) AS hit
), recorded AS ( -- a data-modifying CTE runs whether or not it is referenced
  INSERT INTO rollup_deltas (org_id, hour, ${dims}, ${measures})
  SELECT f.org_id, f.hour, ${DIMENSIONS.map((d) => `f.${d}`).join(", ")}, ${sumMeasuresSql()}
  FROM (${spanFactsSql("true", BATCH_SPANS)}
    UNION ALL
    ${taskFactsSql("true", BATCH_TASKS)}) f
  WHERE NOT (SELECT hit FROM pooled)
  GROUP BY f.org_id, f.hour, ${DIMENSIONS.map((d) => `f.${d}`).join(", ")}
)
SELECT hit AS pooled FROM pooled`;

/**
 * Appends the rollup deltas of traces settled in the caller's transaction: their LLM calls (all stored by this
 * transaction) and the tasks it claimed for them. Returns false, recording nothing, when a GPU pool of the org may serve one of
 * the calls: the caller then marks the hours for a full recompute, which prices pooled calls.
 */
export async function recordRollupDeltas(client: pg.PoolClient, orgId: string, traceIds: string[], tasks: SettledTask[]): Promise<boolean> {
  await client.query(DELTA_PLAN_SETTINGS);
  const { rows } = await client.query<{ pooled: boolean }>(RECORD_DELTAS_SQL, [orgId, traceIds, ...taskFactArrays(tasks)]);
  return !rows[0]!.pooled;
}

// The deltas summed in memory (ingest-rollup-deltas.ts), appended unless the org has a GPU pool: then a call may be
// pool-served and only the SQL path above can tell (it reads pool_id matches from the stored calls).
const DELTA_ROW_COLUMNS = ["hour", ...DIMENSIONS, ...MEASURES] as const;
const DELTA_ROW_TYPES = ["timestamptz", ...DIMENSIONS.map(() => "text"), ...MEASURES.map((m) => (m.endsWith("_usd") ? "numeric" : "int8"))];
export const INSERT_INGEST_DELTAS_SQL = `
WITH pooled AS (SELECT EXISTS (SELECT 1 FROM gpu_pools WHERE org_id = $1) AS any_pool),
recorded AS (
  INSERT INTO rollup_deltas (org_id, ${DELTA_ROW_COLUMNS.join(", ")})
  SELECT $1, ${DELTA_ROW_COLUMNS.map((c) => `u.${c}`).join(", ")}
  FROM unnest(${DELTA_ROW_TYPES.map((t, i) => `$${i + 2}::${t}[]`).join(", ")}) AS u(${DELTA_ROW_COLUMNS.join(", ")})
  WHERE NOT (SELECT any_pool FROM pooled)
)
SELECT any_pool FROM pooled`;

/** RollupDeltaRow fields in MEASURES order (costs as 12-decimal strings). */
const MEASURE_VALUES: Record<Measure, (r: RollupDeltaRow) => string> = {
  calls: (r) => String(r.calls), failed_calls: (r) => String(r.failedCalls), retry_calls: (r) => String(r.retryCalls),
  unpriced_calls: (r) => String(r.unpricedCalls), input_tokens: (r) => String(r.inputTokens),
  cached_input_tokens: (r) => String(r.cachedInputTokens), cache_write_tokens: (r) => String(r.cacheWriteTokens),
  output_tokens: (r) => String(r.outputTokens), reasoning_tokens: (r) => String(r.reasoningTokens),
  api_cost_usd: (r) => picoNumberToString(r.apiCostPico), gpu_cost_usd: () => "0", idle_gpu_cost_usd: () => "0",
  retry_cost_usd: (r) => picoNumberToString(r.retryCostPico), failed_cost_usd: (r) => picoNumberToString(r.failedCostPico),
  waste_cost_usd: (r) => picoNumberToString(r.wasteCostPico), tasks: (r) => String(r.tasks),
  successful_tasks: (r) => String(r.successfulTasks), loop_tasks: (r) => String(r.loopTasks),
  system_prompt_tokens: (r) => String(r.systemPromptTokens),
};

/** The parameters $2… of INSERT_INGEST_DELTAS_SQL, as array literals (pg-array.ts). */
function deltaRowArrays(rows: RollupDeltaRow[]): string[] {
  return [
    textArray(rows.map((r) => new Date(r.hourMs).toISOString())),
    textArray(rows.map((r) => r.feature)), textArray(rows.map((r) => r.taskType)), textArray(rows.map((r) => r.provider)),
    textArray(rows.map((r) => r.model)), textArray(rows.map((r) => r.customerId)),
    ...MEASURES.map((m) => scalarArray(rows.map(MEASURE_VALUES[m]))),
  ];
}

/**
 * Appends the rollup deltas of traces settled in the caller's transaction, summed in memory from the rows it stored
 * (`spans`: the settled traces' spans with their resolutions, `tasks`: the tasks it claimed for them). An org with a
 * GPU pool, or a batch whose sums Numbers cannot hold exactly, goes through recordRollupDeltas instead (it reads the
 * stored calls, and sees whether a pool serves one); returns false, recording nothing, when one does.
 */
export async function recordIngestRollupDeltas(
  client: pg.PoolClient,
  orgId: string,
  spans: DeltaSpan[],
  tasks: SettledTask[],
  options: { prepared?: boolean } = {},
): Promise<boolean> {
  const deltas = knownToHavePool(orgId) ? null : ingestRollupDeltas(spans, tasks);
  if (deltas !== null) {
    const { rows } = await client.query<{ any_pool: boolean }>(
      namedStatement(options.prepared, "insert_ingest_deltas", INSERT_INGEST_DELTAS_SQL, [orgId, ...deltaRowArrays(deltas)]),
    );
    if (!rows[0]!.any_pool) return true;
    rememberPool(orgId);
  }
  // Pooled, or beyond what Numbers sum exactly: summed in the database from the stored calls.
  const traceIds = [...new Set(spans.map((s) => s.span.traceId))];
  return recordRollupDeltas(client, orgId, traceIds, tasks);
}

// Orgs seen with a GPU pool recently: their batches go straight to the SQL path, without first summing in memory and
// sending an INSERT that finds the pool and adds nothing (a wasted round trip per batch of such an org). Only "has a
// pool" is remembered: the SQL path checks for itself, so a pool deleted meanwhile costs speed, never correctness,
// while "no pool" is always asked inside the transaction (a pool created a moment ago must be seen).
const POOL_MEMORY_MS = 60_000;
const MAX_REMEMBERED_ORGS = 10_000;
const pooledOrgsUntil = new Map<string, number>();
function knownToHavePool(orgId: string): boolean {
  const until = pooledOrgsUntil.get(orgId);
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  pooledOrgsUntil.delete(orgId);
  return false;
}
function rememberPool(orgId: string): void {
  if (pooledOrgsUntil.size >= MAX_REMEMBERED_ORGS) pooledOrgsUntil.clear(); // forgetting only costs a round trip
  pooledOrgsUntil.set(orgId, Date.now() + POOL_MEMORY_MS);
}

/** The parameters $3… of RECORD_DELTAS_SQL: the columns of the tasks that the facts read. */
export function taskFactArrays(tasks: SettledTask[]): unknown[][] {
  return [
    tasks.map((t) => new Date(t.startMs)), tasks.map((t) => t.feature), tasks.map((t) => t.taskType), tasks.map((t) => t.customerId),
    tasks.map((t) => t.outcome), tasks.map((t) => t.primaryProvider), tasks.map((t) => t.primaryModel), tasks.map((t) => t.isLoop),
  ];
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
