import path from "node:path";
import { createDb, type Db } from "../db/client.ts";
import { findRunningEmbedded, startEmbeddedDatabase } from "../db/embedded.ts";
import { applyMigrations } from "../db/migrate.ts";
import { getEnv } from "../env.ts";

/**
 * Runs `fn` with a database: DATABASE_URL; else the embedded database through the running server's socket
 * (PGlite allows one process); else the embedded database opened here for the duration of the command.
 */
export async function withCliDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const env = getEnv();
  const dataDir = path.resolve(env.INFERLEDGER_DATA_DIR);
  const running = env.DATABASE_URL ? null : findRunningEmbedded(dataDir);
  const embedded = env.DATABASE_URL || running ? null : await startEmbeddedDatabase({ dataDir });
  const url = env.DATABASE_URL ?? running?.url ?? embedded!.url;
  const db = createDb({ url, maxConnections: env.DATABASE_URL ? 2 : 1 }); // PGlite: one session, one connection
  try {
    await applyMigrations(db.pool);
    return await fn(db);
  } finally {
    await db.close();
    await embedded?.stop();
  }
}
