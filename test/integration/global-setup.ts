import crypto from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "../../server/db/embedded.ts";
import { applyMigrations } from "../../server/db/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: "postgresql" | "pglite";
  }
}

/**
 * One database per test run: with TEST_DATABASE_URL (CI: the machine's PostgreSQL) a fresh database is
 * created on that server and dropped at the end; without it, an in-memory PGlite served on loopback.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `inferledger_test_${process.pid}_${crypto.randomBytes(3).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    await migrate(url.toString());
    project.provide("databaseUrl", url.toString());
    project.provide("databaseKind", "postgresql");
    console.log(`[integration] real PostgreSQL, database ${name}`);
    return async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    };
  }
  const embedded = await startEmbeddedDatabase({ dataDir: null });
  await migrate(embedded.url);
  project.provide("databaseUrl", embedded.url);
  project.provide("databaseKind", "pglite");
  console.log("[integration] no TEST_DATABASE_URL: embedded PGlite");
  return embedded.stop;
}

async function migrate(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await applyMigrations(pool);
  } finally {
    await pool.end();
  }
}
