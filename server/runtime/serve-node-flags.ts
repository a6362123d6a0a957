/**
 * V8 heap flags of `npm start` (package.json's start script holds the same, checked by a unit test), for the
 * benchmarks and e2e to start the server exactly as users do.
 *
 * Why: under sustained ingest, batches live across database round trips, survive the young generation and are
 * promoted; uncapped, V8 lets old space fill with ~350 MB of that garbage between mark-compacts and the one-process
 * server peaks at 700–760 MB RSS (live old space after a collection: ~120 MB). A cap makes V8 collect before that.
 * The young generation is set explicitly because an old-space cap alone also shrinks it, and scavenges then cost
 * ~50 % more CPU (bench/RESULTS.md). Command-line flags do not reach child processes (the dashboard build).
 */
export const SERVE_NODE_FLAGS = ["--max-old-space-size=384", "--max-semi-space-size=32"] as const;
