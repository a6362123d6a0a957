import type { Db } from "../../db/client.ts";
import { costFactsSql, DIMENSIONS, MEASURES, sumMeasuresSql } from "../../db/sql/cost-facts.ts";
import { withTransaction } from "../../db/transaction.ts";
import { recomputePoolHours } from "../gpu-pools/recompute-pool-hours.ts";

const INSERT_ROLLUP_SQL = `
INSERT INTO hourly_rollups (org_id, hour, ${DIMENSIONS.join(", ")}, ${MEASURES.join(", ")})
SELECT $1, $2::timestamptz, ${DIMENSIONS.map((d) => `f.${d}`).join(", ")}, ${sumMeasuresSql()}
FROM (${costFactsSql()}) f
GROUP BY ${DIMENSIONS.map((d) => `f.${d}`).join(", ")}`;

/** The same hour summed over customers (what queries that neither group nor filter by customer read). */
export const FEATURE_DIMENSIONS = DIMENSIONS.filter((d) => d !== "customer_id");
const INSERT_FEATURE_ROLLUP_SQL = `
INSERT INTO hourly_feature_rollups (org_id, hour, ${FEATURE_DIMENSIONS.join(", ")}, ${MEASURES.join(", ")})
SELECT org_id, hour, ${FEATURE_DIMENSIONS.join(", ")}, ${sumMeasuresSql("r")}
FROM hourly_rollups r WHERE org_id = $1 AND hour = $2
GROUP BY org_id, hour, ${FEATURE_DIMENSIONS.join(", ")}`;

/**
 * Rebuilds one org-hour atomically (readers see the old or the new hour): GPU pool costs first (they price
 * self-hosted calls), then the rollups from the facts, then their sums over customers. Traces whose GPU cost changed are re-marked for settling.
 */
export async function recomputeRollupHour({ db, orgId, hour }: { db: Db; orgId: string; hour: Date }): Promise<void> {
  const end = new Date(hour.getTime() + 3_600_000);
  await withTransaction(db.pool, async (client) => {
    const changedTraces = await recomputePoolHours(client, orgId, hour);
    if (changedTraces.length > 0) {
      await client.query(
        `INSERT INTO dirty_traces (org_id, trace_id, marked_at) SELECT $1, t, clock_timestamp() FROM unnest($2::text[]) AS t
         ON CONFLICT (org_id, trace_id) DO UPDATE SET marked_at = excluded.marked_at`,
        [orgId, changedTraces],
      );
    }
    await client.query("DELETE FROM hourly_rollups WHERE org_id = $1 AND hour = $2", [orgId, hour]);
    await client.query(INSERT_ROLLUP_SQL, [orgId, hour, end]);
    await client.query("DELETE FROM hourly_feature_rollups WHERE org_id = $1 AND hour = $2", [orgId, hour]);
    await client.query(INSERT_FEATURE_ROLLUP_SQL, [orgId, hour]);
  });
}

/**
 * Takes up to `limit` dirty org-hours and recomputes them. An hour re-dirtied while it was being computed
 * keeps its mark (marked_at moved on), so nothing is lost to the race.
 */
export async function processDirtyHours({ db, limit = 50 }: { db: Db; limit?: number }): Promise<number> {
  const { rows } = await db.pool.query<{ org_id: string; hour: Date; marked_at: Date }>(
    "SELECT org_id, hour, marked_at FROM dirty_hours ORDER BY marked_at LIMIT $1",
    [limit],
  );
  for (const row of rows) {
    await recomputeRollupHour({ db, orgId: row.org_id, hour: row.hour });
    await db.pool.query("DELETE FROM dirty_hours WHERE org_id = $1 AND hour = $2 AND marked_at = $3", [row.org_id, row.hour, row.marked_at]);
  }
  return rows.length;
}

/** Marks org-hours for recomputation (idempotent; a re-mark moves marked_at forward). */
export async function markHoursDirty({ db, orgId, hours }: { db: Db; orgId: string; hours: Date[] }): Promise<void> {
  if (hours.length === 0) return;
  await db.pool.query(
    `INSERT INTO dirty_hours (org_id, hour, marked_at)
     SELECT $1, hour, clock_timestamp() FROM (SELECT DISTINCT date_trunc('hour', h, 'UTC') AS hour FROM unnest($2::timestamptz[]) AS h) d
     ON CONFLICT (org_id, hour) DO UPDATE SET marked_at = excluded.marked_at`,
    [orgId, hours],
  );
}
