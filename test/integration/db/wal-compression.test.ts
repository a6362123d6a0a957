import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../../server/db/client.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

afterAll(closeTestDb);

describe("WAL compression of the app's connections", () => {
  it("turns on lz4 full-page-image compression for the session when the server has it off", async () => {
    const server = await testDb().pool.query<{ setting: string; reset_val: string; has_lz4: boolean }>(
      "SELECT setting, reset_val, 'lz4' = ANY (enumvals) AS has_lz4 FROM pg_settings WHERE name = 'wal_compression'",
    );
    const { setting, reset_val: serverWide, has_lz4: hasLz4 } = server.rows[0]!;
    // Only this session's value changes, only from off, only to what the build supports (embedded PGlite: no lz4).
    expect(setting).toBe(serverWide === "off" && hasLz4 ? "lz4" : serverWide);
  });

  it.runIf(inject("databaseKind") === "postgresql")("leaves it off, saying so once, for a role that may not set it", async () => {
    const admin = testDb().pool;
    const role = `wal_probe_${process.pid}`;
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    const lines: string[] = [];
    const url = new URL(inject("databaseUrl"));
    url.username = role;
    const db = createDb({ url: url.toString(), maxConnections: 2, log: (line) => lines.push(line) });
    try {
      const clients = await Promise.all([db.pool.connect(), db.pool.connect()]);
      const shown = await Promise.all(clients.map((c) => c.query<{ wal_compression: string }>("SHOW wal_compression")));
      for (const c of clients) c.release();
      expect(shown.map((r) => r.rows[0]!.wal_compression)).toEqual(["off", "off"]);
      expect(lines.filter((l) => l.includes("wal_compression"))).toEqual([
        "[inferledger] wal_compression stays off: the login role may not set it (GRANT SET ON PARAMETER wal_compression TO it, or set it server-wide)",
      ]);
    } finally {
      await db.close();
      await admin.query(`DROP ROLE ${role}`);
    }
  });
});
