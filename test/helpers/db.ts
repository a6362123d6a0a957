import { inject } from "vitest";
import { createDb, type Db } from "../../server/db/client.ts";
import { setDb } from "../../server/db/index.ts";

let shared: Db | undefined;

/** The run's test database, installed as the process-wide handle (auth and services use it). */
export function testDb(): Db {
  if (!shared) {
    // PGlite is one session: one connection, or concurrent statements would interleave.
    shared = createDb({ url: inject("databaseUrl"), maxConnections: inject("databaseKind") === "pglite" ? 1 : 5 });
    setDb(shared);
  }
  return shared;
}

export async function closeTestDb(): Promise<void> {
  await shared?.close();
  shared = undefined;
  setDb(undefined);
}
