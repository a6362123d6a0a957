import path from "node:path";
import { getEnv } from "../env.ts";
import { createDb, type Db } from "./client.ts";
import { findRunningEmbedded } from "./embedded.ts";

/**
 * The database URL of this deployment: DATABASE_URL, else the embedded PGlite served by the running
 * InferLedger process (found through its lock file in the data dir).
 */
export function resolveDatabaseUrl(): string | null {
  const env = getEnv();
  if (env.DATABASE_URL) return env.DATABASE_URL;
  return findRunningEmbedded(path.resolve(env.INFERLEDGER_DATA_DIR))?.url ?? null;
}

const holder = globalThis as unknown as { __inferledgerDb?: Db };

/** Process-wide database handle (shared by Next route handlers, collectors and the scheduler). */
export function getDb(): Db {
  if (holder.__inferledgerDb) return holder.__inferledgerDb;
  const url = resolveDatabaseUrl();
  if (!url) throw new Error("no database: set DATABASE_URL or start InferLedger (npm start) for the embedded one");
  holder.__inferledgerDb = createDb({ url, maxConnections: 10 });
  return holder.__inferledgerDb;
}

/** Installs an already-open handle (server start-up, tests) so every module shares it. */
export function setDb(db: Db | undefined): void {
  holder.__inferledgerDb = db;
}
