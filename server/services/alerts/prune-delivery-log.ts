import type { Db } from "../../db/client.ts";

/**
 * Deletes delivery-log attempts older than `retentionDays`, at most `limit` per call (short transactions; the worker
 * calls it until nothing is left). The outbox rows themselves stay: they are what an event's delivery status shows.
 */
export async function pruneDeliveryLog({ db, retentionDays, nowMs = Date.now(), limit = 5_000 }: { db: Db; retentionDays: number; nowMs?: number; limit?: number }): Promise<number> {
  const result = await db.pool.query(
    `DELETE FROM alert_delivery_attempts WHERE id IN (SELECT id FROM alert_delivery_attempts WHERE attempted_at < $1 LIMIT $2)`,
    [new Date(nowMs - retentionDays * 86_400_000), limit],
  );
  return result.rowCount ?? 0;
}
