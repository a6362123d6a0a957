import type pg from "pg";

/**
 * Runs fn in one transaction on one pooled connection: COMMIT on success, ROLLBACK (and rethrow) on failure.
 * While checked out, a client has no pool error listener: if the server goes away between two statements,
 * pg emits 'error' on the client, which would crash the process unhandled. We listen for it and hand the
 * broken client back to the pool as such, so it is discarded instead of reused.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  /** Statements (e.g. SET LOCAL) sent with BEGIN in one round trip. */
  options: { setup?: string } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  try {
    await client.query(options.setup ? `BEGIN; ${options.setup}` : "BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => {
      broken ??= rollbackError;
    });
    throw error;
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}
