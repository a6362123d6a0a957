/**
 * Ingest benchmark: a collector process (`inferledger serve --role collector`) on a fresh database of a real
 * PostgreSQL server, and this process as the load generator sending gzip'd OTLP protobuf requests of 512
 * GenAI spans (unique ids, so every span is really stored) with fixed concurrency.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/ingest-load.ts [seconds] [concurrency] [shape]
 *
 * shape `spans` (the default, as measured since 2026-11-23): every span is a model call in a trace of its own whose
 * parent is missing — the worst case, since every span's trace is queued for settlement. Shape `traces`: what an
 * instrumented app's BatchSpanProcessor exports — 128 traces per request, each a task's root span (feature,
 * customer, task type, outcome) with three model calls under it, so the collector settles each trace at ingest.
 *
 * BENCH_COLLECTOR_HEAP_CAP=1 runs the collector with the heap flags of `npm run start:collector`;
 * BENCH_COLLECTOR_STDOUT=1 shows its stdout (e.g. a `--trace-gc` set through an `--import` hook).
 * OTLP_COLLECTOR_PROCESSES=N (passed through) runs the collector as a cluster of N processes.
 *
 * Reports sustained stored spans/s, request latency p50/p99, and the collector's peak RSS (VmHWM; of a cluster, the
 * sum over its processes, primary included) and CPU (likewise summed).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { ExportTraceServiceResponse } from "../collectors/decode/proto-schema.ts";
import { createBenchDatabase } from "./lib/bench-database.ts";
import { makeOtlpTracesRequest } from "./lib/otlp-requests.ts";
import { startCpuSplit, treePeakRssMb } from "./lib/cpu-split.ts";
import { createApiKey } from "../server/services/api-keys/api-keys.ts";
import { createOrg } from "../server/services/orgs/create-org.ts";

const seconds = Number(process.argv[2] ?? 20);
const concurrency = Number(process.argv[3] ?? 8);
const shape = (process.argv[4] ?? "spans") as "spans" | "traces";
if (shape !== "spans" && shape !== "traces") throw new Error(`unknown shape ${shape}: spans | traces`);
const SPANS_PER_REQUEST = 512;
const PORT = 4590;
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const makeRequest = (seq: number): Buffer => makeOtlpTracesRequest(shape, seq, SPANS_PER_REQUEST);

/** Server-wide WAL position (bytes) and checkpoints so far: how much WAL the run wrote, how often it checkpointed. */
async function walAndCheckpoints(db: { pool: pg.Pool }): Promise<{ lsnBytes: number; checkpoints: number }> {
  const { rows } = await db.pool.query<{ lsn: number; cp: number }>(
    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS lsn, (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter)::int AS cp",
  );
  return { lsnBytes: Number(rows[0]!.lsn), checkpoints: Number(rows[0]!.cp) };
}

/**
 * BENCH_COLLECTOR_HEAP_CAP=1: the collector gets the node flags of `npm run start:collector` (package.json), the
 * heap cap a collector of its own runs with; otherwise none (as `npm start` runs it, with the other roles).
 */
function collectorNodeFlags(): string[] {
  if (process.env.BENCH_COLLECTOR_HEAP_CAP !== "1") return [];
  const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../package.json"), "utf8")) as { scripts: Record<string, string> };
  return pkg.scripts["start:collector"]!.split(/\s+/).filter((arg) => arg.startsWith("--max-"));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const bench = await createBenchDatabase({ serverUrl, prefix: "inferledger_bench" });
  const { db } = bench;
  const url = new URL(bench.url);
  const org = await createOrg({ db, name: "Bench" });
  const key = await createApiKey({ ctx: { db, org, actor: { type: "system", name: "bench" } }, kind: "ingest", name: "bench" });

  const collector = spawn(process.execPath, [...collectorNodeFlags(), path.resolve(import.meta.dirname, "../bin/inferledger.mjs"), "serve", "--role", "collector"], {
    env: { ...process.env, DATABASE_URL: url.toString(), BETTER_AUTH_SECRET: "bench-secret-0123456789abcdef0123456789", OTLP_HTTP_PORT: String(PORT), OTLP_GRPC_PORT: String(PORT + 1), INFERLEDGER_DEMO: "0",
      // Capacity, not tenant policy: the per-key limits (25k spans/s + 100k burst by default) would cap one key's
      // load at ~28k spans/s over 30 s, answering the excess with 429s the generator counts as throttled.
      OTLP_KEY_SPANS_PER_SEC: "0", OTLP_KEY_REQUESTS_PER_SEC: "0" },
    stdio: ["ignore", process.env.BENCH_COLLECTOR_STDOUT ? "inherit" : "ignore", "inherit"],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  // Pre-build the requests so the generator's CPU goes to sending, not encoding (same 2 cores as the collector).
  const estimatedRequests = Math.ceil((seconds * 120_000) / SPANS_PER_REQUEST);
  console.error(`building ${estimatedRequests} requests of ${SPANS_PER_REQUEST} spans…`);
  const requests = Array.from({ length: estimatedRequests }, (_, i) => makeRequest(i));
  const gzBytes = requests.reduce((n, r) => n + r.length, 0) / requests.length;

  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  let rejected = 0;
  let throttled = 0;
  let next = 0;
  console.error(`sending for ${seconds} s…`);
  const endCpuSplit = startCpuSplit(collector.pid!);
  const wal0 = await walAndCheckpoints(db);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline && next < requests.length) {
        const body = requests[next++]!;
        const t0 = performance.now();
        const res = await fetch(`http://127.0.0.1:${PORT}/v1/traces`, {
          method: "POST",
          headers: { "content-type": "application/x-protobuf", "content-encoding": "gzip", authorization: `Bearer ${key.key}` },
          body: new Uint8Array(body),
        });
        const reply = new Uint8Array(await res.arrayBuffer());
        latencies.push(performance.now() - t0);
        if (res.status === 200) {
          const partial = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(reply), { longs: Number }) as { partialSuccess?: { rejectedSpans?: number } };
          rejected += partial.partialSuccess?.rejectedSpans ?? 0;
          sent += SPANS_PER_REQUEST - (partial.partialSuccess?.rejectedSpans ?? 0);
        }
        else if (res.status === 429 || res.status === 503) throttled++;
        else errors++;
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = endCpuSplit();
  const wal1 = await walAndCheckpoints(db);
  const peakRssMb = treePeakRssMb(collector.pid!);
  const stored = Number((await db.pool.query("SELECT count(*) FROM spans")).rows[0].count);
  const settled = (await db.pool.query<{ tasks: number; dirty: number }>(
    "SELECT (SELECT count(*)::int FROM tasks) AS tasks, (SELECT count(*)::int FROM dirty_traces) AS dirty",
  )).rows[0]!;
  collector.kill("SIGTERM");
  await new Promise((r) => collector.once("exit", r));
  await bench.drop();
  latencies.sort((a, b) => a - b);
  const result = {
    date: new Date().toISOString(),
    seconds: Number(elapsedS.toFixed(1)),
    concurrency,
    shape,
    spansPerRequest: SPANS_PER_REQUEST,
    avgGzipRequestBytes: Math.round(gzBytes),
    acknowledgedSpans: sent,
    rejectedSpans: rejected,
    storedSpans: stored,
    storedSpansPerSecond: Math.round(stored / elapsedS),
    p50Ms: Number(percentile(latencies, 50).toFixed(1)),
    p99Ms: Number(percentile(latencies, 99).toFixed(1)),
    throttledRequests: throttled,
    failedRequests: errors,
    collectorProcesses: Number(process.env.OTLP_COLLECTOR_PROCESSES ?? 1),
    collectorPeakRssMb: Math.round(peakRssMb),
    collectorNodeFlags: collectorNodeFlags().join(" ") || "none",
    tasksSettledAtIngest: settled.tasks,
    tracesQueuedForSettlement: settled.dirty,
    // CPU seconds per group during the load window (2 cores = 2 × seconds available).
    ...cpu,
    walBytesPerSpan: Math.round((wal1.lsnBytes - wal0.lsnBytes) / stored), // server-wide, other databases included
    checkpoints: wal1.checkpoints - wal0.checkpoints,
    cpuMsPer1kSpans: {
      collector: Number(((cpu.collectorCpuS * 1e6) / stored).toFixed(1)),
      postgres: Number(((cpu.postgresCpuS * 1e6) / stored).toFixed(1)),
      loadGenerator: Number(((cpu.loadGeneratorCpuS * 1e6) / stored).toFixed(1)),
    },
  };
  console.log(JSON.stringify(result, null, 2));
}

await main();
