import type { RollupPacer } from "../../domain/costs/rollup-pacing.ts";
import { markDirtyHours, markDirtyTraces } from "../../db/bulk/mark-dirty.ts";
import type { Db } from "../../db/client.ts";
import { costFactsSql, DIMENSIONS, FEATURE_DIMENSIONS, MEASURES, sumMeasuresSql } from "../../db/sql/cost-facts.ts";
import { withTransaction } from "../../db/transaction.ts";
import { recomputePoolHours } from "../gpu-pools/recompute-pool-hours.ts";
import { invalidatePromptDay } from "./prompt-day-stats.ts";
import { foldRollupDeltas, lockRollupDay } from "./rollup-deltas.ts";

// The hour's pending deltas are deleted by the statement that reads its spans: one snapshot for both (rollup-deltas.ts).
const INSERT_ROLLUP_SQL = `
WITH absorbed AS (DELETE FROM rollup_deltas WHERE org_id = $1 AND hour = $2::timestamptz)
INSERT INTO hourly_rollups (org_id, hour, ${DIMENSIONS.join(", ")}, ${MEASURES.join(", ")})
SELECT $1, $2::timestamptz, ${DIMENSIONS.map((d) => `f.${d}`).join(", ")}, ${sumMeasuresSql()}
FROM (${costFactsSql()}) f
GROUP BY ${DIMENSIONS.map((d) => `f.${d}`).join(", ")}`;

const INSERT_FEATURE_ROLLUP_SQL = `
INSERT INTO hourly_feature_rollups (org_id, hour, ${FEATURE_DIMENSIONS.join(", ")}, ${MEASURES.join(", ")})
SELECT org_id, hour, ${FEATURE_DIMENSIONS.join(", ")}, ${sumMeasuresSql("r")}
FROM hourly_rollups r WHERE org_id = $1 AND hour = $2
GROUP BY org_id, hour, ${FEATURE_DIMENSIONS.join(", ")}`;

/**
 * Keeps a daily table equal to the sums of its hours by the hour's difference: before an hour is rebuilt its old
 * rows are subtracted, after it the new rows added (exact integer and decimal arithmetic), and rows left all zero
 * removed. Cheaper than re-summing the day's 24 hours at every recompute of the current hour.
 */
function dailyDeltaSql(hourly: string, daily: string, dims: readonly string[]) {
  const keyMatch = dims.map((d) => `d.${d} = h.${d}`).join(" AND ");
  return {
    subtractHour: `UPDATE ${daily} d SET ${MEASURES.map((m) => `${m} = d.${m} - h.${m}`).join(", ")}
      FROM ${hourly} h WHERE h.org_id = $1 AND h.hour = $2 AND d.org_id = h.org_id AND d.day = date_trunc('day', h.hour, 'UTC') AND ${keyMatch}`,
    addHour: `INSERT INTO ${daily} (org_id, day, ${dims.join(", ")}, ${MEASURES.join(", ")})
      SELECT org_id, date_trunc('day', hour, 'UTC'), ${dims.join(", ")}, ${MEASURES.join(", ")} FROM ${hourly} WHERE org_id = $1 AND hour = $2
      ON CONFLICT (org_id, day, ${dims.join(", ")}) DO UPDATE SET ${MEASURES.map((m) => `${m} = ${daily}.${m} + excluded.${m}`).join(", ")}`,
    dropEmpty: `DELETE FROM ${daily} WHERE org_id = $1 AND day = date_trunc('day', $2::timestamptz, 'UTC') AND ${MEASURES.map((m) => `${m} = 0`).join(" AND ")}`,
  };
}
const DAILY = [dailyDeltaSql("hourly_rollups", "daily_rollups", DIMENSIONS), dailyDeltaSql("hourly_feature_rollups", "daily_feature_rollups", FEATURE_DIMENSIONS)];

/**
 * Rebuilds one org-hour atomically (readers see the old or the new hour): GPU pool costs first (they price
 * self-hosted calls), then the rollups from the facts (absorbing the hour's pending deltas), their sums over customers,
 * and the day's totals; the day's prompt statistics become stale. Traces whose GPU cost changed are re-marked for
 * settling.
 */
export async function recomputeRollupHour({ db, orgId, hour }: { db: Db; orgId: string; hour: Date }): Promise<void> {
  const end = new Date(hour.getTime() + 3_600_000);
  await withTransaction(db.pool, async (client) => {
    await lockRollupDay(client, orgId, hour);
    const changedTraces = await recomputePoolHours(client, orgId, hour);
    if (changedTraces.length > 0) {
      await markDirtyTraces(client, changedTraces.map((traceId) => ({ orgId, traceId })));
    }
    await invalidatePromptDay(client, orgId, hour);
    for (const d of DAILY) await client.query(d.subtractHour, [orgId, hour]);
    await client.query("DELETE FROM hourly_rollups WHERE org_id = $1 AND hour = $2", [orgId, hour]);
    await client.query(INSERT_ROLLUP_SQL, [orgId, hour, end]);
    await client.query("DELETE FROM hourly_feature_rollups WHERE org_id = $1 AND hour = $2", [orgId, hour]);
    await client.query(INSERT_FEATURE_ROLLUP_SQL, [orgId, hour]);
    for (const d of DAILY) {
      await client.query(d.addHour, [orgId, hour]);
      await client.query(d.dropEmpty, [orgId, hour]);
    }
  });
}

/**
 * Folds pending rollup deltas (up to `limit` org-hours, rollup-deltas.ts), then takes up to `limit` dirty org-hours
 * and recomputes them; returns how many org-hours it folded or recomputed. An hour re-dirtied while
 * it was being computed keeps its mark (marked_at moved on), so nothing is lost to the race. With a `pacer`, an hour
 * recomputed a moment ago waits its turn (rollup-pacing.ts): it stays marked, so it is recomputed once due.
 */
export async function processDirtyHours({ db, limit = 50, pacer, nowMs = Date.now }: { db: Db; limit?: number; pacer?: RollupPacer; nowMs?: () => number }): Promise<number> {
  const folded = await foldRollupDeltas({ db, limit });
  const { rows } = await db.pool.query<{ org_id: string; hour: Date; marked_at: Date }>(
    "SELECT org_id, hour, marked_at FROM dirty_hours ORDER BY marked_at LIMIT $1",
    [limit + (pacer?.size ?? 0)], // room for the hours held back
  );
  let done = 0;
  for (const row of rows) {
    if (done === limit) break;
    if (pacer && !pacer.isDue(row.org_id, row.hour.getTime(), nowMs())) continue;
    const startedMs = nowMs();
    await recomputeRollupHour({ db, orgId: row.org_id, hour: row.hour });
    await db.pool.query("DELETE FROM dirty_hours WHERE org_id = $1 AND hour = $2 AND marked_at = $3", [row.org_id, row.hour, row.marked_at]);
    pacer?.record(row.org_id, row.hour.getTime(), startedMs, nowMs());
    done++;
  }
  return folded + done;
}

/** Marks org-hours for recomputation (idempotent; a re-mark moves marked_at forward). */
export async function markHoursDirty({ db, orgId, hours }: { db: Db; orgId: string; hours: Date[] }): Promise<void> {
  await markDirtyHours(db.pool, orgId, hours.map((h) => h.getTime()));
}
