import type { Db } from "../../db/client.ts";
import { costFactsSql, DIMENSIONS, MEASURES, sumMeasuresSql } from "../../db/sql/cost-facts.ts";

const INSERT_ROLLUP_SQL = `
INSERT INTO hourly_rollups (org_id, hour, ${DIMENSIONS.join(", ")}, ${MEASURES.join(", ")})
SELECT $1, $2::timestamptz, ${DIMENSIONS.map((d) => `f.${d}`).join(", ")}, ${sumMeasuresSql()}
FROM (${costFactsSql()}) f
GROUP BY ${DIMENSIONS.map((d) => `f.${d}`).join(", ")}`;

/** Rebuilds one org-hour of rollups from its facts, atomically (readers see the old or the new hour). */
export async function recomputeRollupHour({ db, orgId, hour }: { db: Db; orgId: string; hour: Date }): Promise<void> {
  const end = new Date(hour.getTime() + 3_600_000);
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("DELETE FROM hourly_rollups WHERE org_id = $1 AND hour = $2", [orgId, hour]);
    await client.query(INSERT_ROLLUP_SQL, [orgId, hour, end]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
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
     SELECT $1, date_trunc('hour', h, 'UTC'), clock_timestamp() FROM unnest($2::timestamptz[]) AS h
     ON CONFLICT (org_id, hour) DO UPDATE SET marked_at = excluded.marked_at`,
    [orgId, hours],
  );
}
