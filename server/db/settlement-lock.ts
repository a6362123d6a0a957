import pg from "pg";

// Advisory lock class of "settling this org's traces" (two-key form: (hashtext(org_id), class)).
const SETTLE_LOCK_CLASS = 0x5e771e;

/**
 * Interlock between the two ways a trace is settled: at ingest (a batch that holds a trace whole,
 * store-span-batch.ts) and by the worker from stored spans (settle-dirty-traces.ts). Each sees only committed spans,
 * so without it the worker could settle a trace from a late span while the batch holding the rest is still
 * uncommitted, and overwrite (or sit beside) the task that batch claims, with no mark left to repair it.
 * Ingest batches take the org's lock shared (they never wait for each other), the worker exclusive: whichever comes
 * second sees the other's committed spans. Both take it first in their transaction, before any row lock.
 */
export async function lockOrgsForIngestSettlement(client: pg.PoolClient, orgIds: string[]): Promise<void> {
  const sql = ingestSettlementLockSql(orgIds);
  if (sql) await client.query(sql);
}

/**
 * The same as one SQL string, to send with BEGIN in one round trip (the lock must be its own statement before the
 * batch's reads: a statement's snapshot is taken before it waits for a lock). Org ids come from our database (the
 * ingest key's org), quoted as literals all the same.
 */
export function ingestSettlementLockSql(orgIds: string[]): string | null {
  if (orgIds.length === 0) return null;
  const literals = [...new Set(orgIds)].sort().map((o) => pg.escapeLiteral(o));
  return `SELECT pg_advisory_xact_lock_shared(hashtext(o), ${SETTLE_LOCK_CLASS}) FROM unnest(ARRAY[${literals.join(", ")}]::text[]) AS o ORDER BY o`;
}

/** The exclusive lock as SQL with the org id as $1: for a Prisma transaction (`$queryRawUnsafe`). */
export const SETTLER_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext($1), ${SETTLE_LOCK_CLASS})`;

export async function lockOrgForSettler(client: pg.PoolClient, orgId: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext($1), ${SETTLE_LOCK_CLASS})`, [orgId]);
}
