import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";
import { installTenantScoping, type TenantScoping } from "./tenant-scope.ts";
import { compressWalOfEachConnection } from "./wal-compression.ts";

export type Db = { prisma: PrismaClient; pool: pg.Pool; url: string; tenantScoping: TenantScoping; close: () => Promise<void> };

// BIGINT columns (token counts) come back as strings from pg; token totals fit in a JS number safely.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * One pg pool shared by Prisma (via the driver adapter) and the raw bulk-SQL paths.
 * JIT is off for every session: our statements are key lookups and aggregates over rollups whose plans look costly
 * enough to trigger JIT, whose compilation took 50–200 ms per query and never paid off (bench/RESULTS.md, rollup
 * queries, fix 3).
 */
export function createDb(options: { url: string; maxConnections?: number; log?: (line: string) => void }): Db {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10, connectionTimeoutMillis: 5_000, options: "-c jit=off" });
  pool.on("error", () => undefined); // idle-client errors (DB restart) surface on the next query instead
  compressWalOfEachConnection(pool, (line) => (options.log ?? console.warn)(`[inferledger] ${line}`));
  // Before Prisma's adapter sees the pool: its queries inside runAsTenant(…) must be scoped too.
  const tenantScoping = installTenantScoping(pool, (reason) => (options.log ?? console.warn)(`[inferledger] ${reason}`));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    url: options.url,
    tenantScoping,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
