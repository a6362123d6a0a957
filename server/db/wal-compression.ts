import type pg from "pg";

/**
 * Asks PostgreSQL to compress the full-page images this connection writes to the WAL (lz4), when the server has
 * `wal_compression = off` and the login role may change it (superuser, or `GRANT SET ON PARAMETER wal_compression`
 * on PostgreSQL 15+). Why: spans and tasks have random primary keys (W3C trace ids), so after every checkpoint the
 * first insert into each index leaf logs the whole 8 KB page. On a stock server (1 GB max_wal_size) that was 82–89 %
 * of all WAL at soak rates; compressed, WAL per span fell from ~2.5 KB to ~1.5 KB and checkpoints came a third less
 * often (bench/RESULTS.md, "WAL compression"). A server-wide setting the operator chose (pglz, zstd) is left alone.
 */
export const WAL_COMPRESSION_SQL = `SELECT set_config('wal_compression', 'lz4', false) FROM pg_settings
  WHERE name = 'wal_compression' AND setting = 'off' AND 'lz4' = ANY (enumvals)`; // enumvals: what the build supports (PGlite: no lz4)

/** Installs the request on every new connection of `pool`; says once (via `log`) when the role may not. */
export function compressWalOfEachConnection(pool: pg.Pool, log: (line: string) => void): void {
  let told = false;
  pool.on("connect", (client) => {
    // Queued before anything the pool's caller sends on this client; a refusal changes nothing else.
    client.query(WAL_COMPRESSION_SQL).catch((error: { code?: string; message?: string }) => {
      if (told) return;
      told = true;
      log(
        error.code === "42501"
          ? "wal_compression stays off: the login role may not set it (GRANT SET ON PARAMETER wal_compression TO it, or set it server-wide)"
          : `wal_compression stays off: ${error.message ?? error.code ?? "refused"}`,
      );
    });
  });
}
