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
  await admin.query(`CREATE DATABASE "${name}"`);
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
