/**
 * A throwaway PostgreSQL cluster with production-like settings for this 24 GiB / 2-core machine, for running the
 * other benchmarks against a tuned server next to the machine's stock one (128 MB shared_buffers, 1 GB max_wal_size):
 *
 *   npx tsx bench/tuned-postgres.ts &        # prints the URL, serves until SIGTERM/SIGINT, then deletes the cluster
 *   BENCH_DATABASE_URL=<that url> npx tsx bench/ingest-load.ts 30 8
 *
 * Durability is not traded: fsync, synchronous_commit and full_page_writes keep their defaults. What changes is
 * what a production server of this size would set: a quarter of RAM as shared buffers (the spans table's random
 * primary-key inserts stop missing the buffer cache), and checkpoints far enough apart that WAL is not dominated by
 * full-page images (every first touch of a page after a checkpoint logs the whole 8 KB page).
 */
import { startThrowawayPostgres } from "../test/helpers/restartable-database.ts";

export const TUNED_SETTINGS: Record<string, string> = {
  shared_buffers: "6GB",
  effective_cache_size: "18GB",
  wal_buffers: "64MB",
  max_wal_size: "16GB",
  min_wal_size: "2GB",
  checkpoint_timeout: "15min",
  checkpoint_completion_target: "0.9",
  wal_compression: "lz4",
  work_mem: "16MB",
  maintenance_work_mem: "1GB",
  random_page_cost: "1.1",
};

const server = await startThrowawayPostgres({ settings: TUNED_SETTINGS });
if (!server) {
  console.error("no PostgreSQL server binaries (initdb, pg_ctl) on this machine, or no postgres OS user to run them as");
  process.exit(2);
}
console.log(server.url);
console.error(`tuned PostgreSQL up (${Object.entries(TUNED_SETTINGS).map(([k, v]) => `${k}=${v}`).join(", ")}); SIGTERM to stop and delete it`);
const stop = async () => {
  await server.destroy();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
setInterval(() => undefined, 1 << 30);
