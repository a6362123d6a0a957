import pg from "pg";
import { createDb, type Db } from "../../server/db/client.ts";
import { applyMigrations } from "../../server/db/migrate.ts";

/**
 * A fresh, migrated database of its own on a real PostgreSQL server for one benchmark run, so a run never touches
 * another's data; `drop()` closes the pool and removes it (also when the benchmark failed halfway).
 */
export async function createBenchDatabase({ serverUrl, prefix, maxConnections = 2 }: { serverUrl: string; prefix: string; maxConnections?: number }): Promise<{ url: string; db: Db; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  // BENCH_DB_COLLATE=C: a database whose default collation is "C" (text compared by memcmp, not strcoll), to measure
  // what the id columns' collation costs.
  const collate = process.env.BENCH_DB_COLLATE;
  if (collate && !/^[A-Za-z0-9_.-]+$/.test(collate)) throw new Error(`BENCH_DB_COLLATE: not a collation name: ${collate}`);
  await admin.query(collate ? `CREATE DATABASE "${name}" TEMPLATE template0 LC_COLLATE '${collate}' LC_CTYPE 'C.UTF-8'` : `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDb({ url: url.toString(), maxConnections });
  await applyMigrations(db.pool);
  return {
    url: url.toString(),
    db,
    drop: async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
