import type pg from "pg";

/*
 * The two work queues (dirty_traces → settlement, dirty_hours → rollups), written by ingest, the settler, pool-hour
 * recomputes and repricing. Every writer takes the rows in one order — (org, key) ascending — so concurrent writers
 * wait for each other instead of deadlocking (test/integration/settlement/settlement-races.test.ts).
 */

/** $1 org, $2 instants (epoch ms, int8[]); for a caller inside a Prisma transaction, which cannot pass a pg client. */
export const MARK_DIRTY_HOURS_SQL = `INSERT INTO dirty_hours (org_id, hour, marked_at)
     SELECT $1, hour, clock_timestamp()
     FROM (SELECT DISTINCT date_trunc('hour', 'epoch'::timestamptz + h * interval '1 millisecond', 'UTC') AS hour FROM unnest($2::int8[]) AS h) d
     ORDER BY hour
     ON CONFLICT (org_id, hour) DO UPDATE SET marked_at = excluded.marked_at`;

/** Marks the UTC hours holding these instants (epoch ms) for rollup; a mark taken meanwhile is renewed, not lost. */
export async function markDirtyHours(client: pg.Pool | pg.PoolClient, orgId: string, instantsMs: number[]): Promise<void> {
  if (instantsMs.length === 0) return;
  await client.query(MARK_DIRTY_HOURS_SQL, [orgId, instantsMs.map(Math.floor)]);
}

/** Marks traces for (re-)settlement from stored spans. */
export async function markDirtyTraces(client: pg.Pool | pg.PoolClient, keys: { orgId: string; traceId: string }[]): Promise<void> {
  if (keys.length === 0) return;
  await client.query(
    `INSERT INTO dirty_traces (org_id, trace_id, marked_at)
     SELECT o, t, clock_timestamp() FROM (SELECT DISTINCT o, t FROM unnest($1::text[], $2::text[]) AS u(o, t)) d
     ORDER BY o, t
     ON CONFLICT (org_id, trace_id) DO UPDATE SET marked_at = excluded.marked_at`,
    [keys.map((k) => k.orgId), keys.map((k) => k.traceId)],
  );
}
