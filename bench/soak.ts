/**
 * Soak: one `inferledger serve` process (collector + dashboard + worker, as a single-box deployment runs it) on a
 * fresh database of a real PostgreSQL server, fed OTLP/HTTP protobuf at a fixed rate (open loop: a request every
 * 512/rate seconds, at most MAX_IN_FLIGHT outstanding) for `minutes`, while the dashboard's tRPC overview and the
 * read API are queried periodically by a signed-in user / read key.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/soak.ts <minutes> <spansPerSecond>
 *
 * The server starts with `npm start`'s heap flags (server/runtime/serve-node-flags.ts; BENCH_SERVER_UNCAPPED=1: V8 defaults).
 * Reports the server's RSS over time (process tree, sampled every 10 s), status counts, ingest and query latency
 * percentiles, acknowledged vs stored spans, and the settlement backlog. Only 127.0.0.1 is targeted; the loop is
 * bounded by time and by request count (minutes × rate).
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ExportTraceServiceRequest } from "../collectors/decode/proto-schema.ts";
import { createBenchDatabase } from "./lib/bench-database.ts";
import { treeRssMb } from "./lib/cpu-split.ts";
import { createApiKey } from "../server/services/api-keys/api-keys.ts";
import { createOrg } from "../server/services/orgs/create-org.ts";
import { SERVE_NODE_FLAGS } from "../server/runtime/serve-node-flags.ts";
import { bucketsSince, gaugeValue, histogramBuckets, quantileMs, type Buckets } from "./lib/prom-text.ts";

const minutes = Number(process.argv[2] ?? 10);
const spansPerSecond = Number(process.argv[3] ?? 10_000);
if (!(minutes > 0 && minutes <= 30) || !(spansPerSecond > 0 && spansPerSecond <= 100_000)) throw new Error("usage: soak.ts <minutes 0-30> <spansPerSecond ≤ 100000>");
const SPANS_PER_REQUEST = 512;
const MAX_IN_FLIGHT = 16;
const SPANS_PER_TRACE = 4;
const TEMPLATES = 64;
const WEB_PORT = 4690;
const OTLP_PORT = 4692;
const METRICS_PORT = 4694; // the server's own Prometheus metrics (collector-metrics.ts): where its latency goes
const HOST = "127.0.0.1";
// Trace ids are random per send, as W3C trace ids are, so each trace's inserts land anywhere in the spans' primary-key
// index. BENCH_SEQUENTIAL_TRACE_IDS=1 patches a sequence number into their first 8 bytes instead (the soaks before
// 2026-12-03): inserts then append at the index's right edge, which flatters the database.
const SEQUENTIAL_TRACE_IDS = process.env.BENCH_SEQUENTIAL_TRACE_IDS === "1";
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: v } });
const MODELS = [["openai", "gpt-4o-mini"], ["anthropic", "claude-sonnet-4-20250514"], ["openai", "gpt-4.1"], ["gcp.gemini", "gemini-2.5-flash"]] as const;

/**
 * Pre-encoded requests whose trace ids are patched per send (SEQUENTIAL_TRACE_IDS), so every span is
 * new (really stored) while the generator spends almost no CPU on encoding — it shares the 2 cores with the server.
 */
function buildTemplate(seed: number): { bytes: Buffer; traceIdOffsets: number[] } {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const spans = [];
  const traceIds: Buffer[] = [];
  for (let i = 0; i < SPANS_PER_REQUEST; i++) {
    const [provider, model] = MODELS[(seed + i) % MODELS.length]!;
    const start = nowNs - BigInt(i) * 1_000_000n;
    // Four calls per trace (a task), so settlement sees realistic traces rather than one span each.
    if (i % SPANS_PER_TRACE === 0) traceIds.push(crypto.randomBytes(16));
    const traceId = traceIds.at(-1)!;
    spans.push({
      traceId, spanId: crypto.randomBytes(8), name: `chat ${model}`, kind: 3,
      startTimeUnixNano: String(start), endTimeUnixNano: String(start + 900_000_000n),
      attributes: [
        str("gen_ai.operation.name", "chat"), str("gen_ai.provider.name", provider), str("gen_ai.request.model", model),
        str("gen_ai.response.model", model), int("gen_ai.usage.input_tokens", 1000 + i), int("gen_ai.usage.output_tokens", 200 + (i % 50)),
        str("inferledger.feature", `feature-${i % 8}`), str("inferledger.customer.id", `customer-${i % 20}`), str("inferledger.task.type", "answer"),
      ],
      status: { code: i % 50 === 0 ? 2 : 0 },
    });
  }
  const bytes = Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.create({
    resourceSpans: [{ resource: { attributes: [str("service.name", "soak-app")] }, scopeSpans: [{ spans }] }],
  })).finish());
  const traceIdOffsets: number[] = [];
  for (const id of traceIds) for (let at = bytes.indexOf(id); at >= 0; at = bytes.indexOf(id, at + 16)) traceIdOffsets.push(at);
  if (traceIdOffsets.length !== SPANS_PER_REQUEST) throw new Error("trace ids not found in the encoded template");
  return { bytes, traceIdOffsets };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN).toFixed(1));
};
const summary = (values: number[]) => ({ n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: percentile(values, 100) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


async function main(): Promise<void> {
  const bench = await createBenchDatabase({ serverUrl, prefix: "inferledger_soak" });
  const { db } = bench;
  const url = new URL(bench.url);

  const web = `http://${HOST}:${WEB_PORT}`;
  // Started as `npm start` starts it (its heap flags; BENCH_SERVER_UNCAPPED=1 leaves V8's defaults, for comparison).
  const nodeFlags: string[] = process.env.BENCH_SERVER_UNCAPPED === "1" ? [] : [...SERVE_NODE_FLAGS];
  // BENCH_SERVER_NODE_FLAGS adds diagnostics (e.g. --trace-gc); BENCH_SERVER_STDOUT=<file> keeps the server's stdout.
  nodeFlags.push(...(process.env.BENCH_SERVER_NODE_FLAGS ?? "").split(" ").filter(Boolean));
  const serverStdout = process.env.BENCH_SERVER_STDOUT ? fs.openSync(process.env.BENCH_SERVER_STDOUT, "w") : "ignore";
  const server = spawn(process.execPath, [...nodeFlags, path.resolve(import.meta.dirname, "../bin/inferledger.mjs"), "serve"], {
    env: {
      ...process.env, DATABASE_URL: url.toString(), BETTER_AUTH_SECRET: "soak-secret-0123456789abcdef0123456789", INFERLEDGER_DEMO: "0",
      HOST, PORT: String(WEB_PORT), OTLP_HTTP_PORT: String(OTLP_PORT), OTLP_GRPC_PORT: String(OTLP_PORT + 1), INFERLEDGER_PUBLIC_URL: web,
      NEXT_TELEMETRY_DISABLED: "1", INFERLEDGER_METRICS_PORT: String(METRICS_PORT),
    },
    stdio: ["ignore", serverStdout, "inherit"],
  });
  const stopServer = () => {
    if (server.exitCode === null) server.kill("SIGTERM");
  };
  process.on("exit", stopServer);
  for (let i = 0; ; i++) {
    if (i > 600) throw new Error("server did not become ready in 120 s");
    try {
      if ((await fetch(`http://${HOST}:${OTLP_PORT}/healthz`)).ok && (await fetch(`${web}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    await sleep(200);
  }

  // A signed-in dashboard user (over HTTP, as the browser does) who owns the org; an ingest key and a read key.
  const email = `soak-${process.pid}@bench.local`;
  const signUp = await fetch(`${web}/api/auth/sign-up/email`, {
    method: "POST", headers: { "content-type": "application/json", origin: web },
    body: JSON.stringify({ email, password: "soak bench password", name: "Soak" }),
  });
  if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
  const cookie = signUp.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const user = await db.prisma.user.findUniqueOrThrow({ where: { email } });
  const org = await createOrg({ db, name: "Soak", ownerUserId: user.id });
  const ctx = { db, org, actor: { type: "system" as const, name: "soak" } };
  const ingestKey = (await createApiKey({ ctx, kind: "ingest", name: "soak" })).key;
  const readKey = (await createApiKey({ ctx, kind: "read", name: "soak" })).key;

  const templates = Array.from({ length: TEMPLATES }, (_, i) => buildTemplate(i));
  const requestsPlanned = Math.floor((minutes * 60 * spansPerSecond) / SPANS_PER_REQUEST);
  const intervalMs = (1000 * SPANS_PER_REQUEST) / spansPerSecond;
  console.error(`soak: ${minutes} min at ${spansPerSecond} spans/s = one ${SPANS_PER_REQUEST}-span request every ${intervalMs.toFixed(1)} ms (${requestsPlanned} requests)`);

  const ingestMs: number[] = [];
  const ingestStatus: Record<string, number> = {};
  let acknowledgedSpans = 0;
  let skipped = 0; // ticks at which MAX_IN_FLIGHT requests were still outstanding (the server fell behind)
  let inFlight = 0;
  const overviewMs: number[] = [];
  const readApiMs: number[] = [];
  const queryErrors: string[] = [];
  const samples: { minute: number; rssMb: number; dirtyTraces: number; insertedSpansStat: number; autovacuum: string[] }[] = [];
  const perMinute: { minute: number; ingest: ReturnType<typeof summary>; overview: ReturnType<typeof summary>; server: ServerSplit | null }[] = [];
  let minuteIngest: number[] = [];
  let minuteOverview: number[] = [];

  const started = performance.now();
  const deadline = started + minutes * 60_000;
  let stopped = false;

  const sendOne = async (seq: number) => {
    const template = templates[seq % TEMPLATES]!;
    const body = Buffer.from(template.bytes);
    if (SEQUENTIAL_TRACE_IDS) for (const offset of template.traceIdOffsets) body.writeBigUInt64BE(BigInt(seq + 1), offset);
    else {
      const ids = crypto.randomBytes(16 * (SPANS_PER_REQUEST / SPANS_PER_TRACE));
      template.traceIdOffsets.forEach((offset, i) => ids.copy(body, offset, Math.floor(i / SPANS_PER_TRACE) * 16, Math.floor(i / SPANS_PER_TRACE) * 16 + 16));
    }
    inFlight++;
    const t0 = performance.now();
    try {
      const res = await fetch(`http://${HOST}:${OTLP_PORT}/v1/traces`, {
        method: "POST", headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${ingestKey}` }, body,
      });
      await res.arrayBuffer();
      const ms = performance.now() - t0;
      ingestMs.push(ms);
      minuteIngest.push(ms);
      ingestStatus[res.status] = (ingestStatus[res.status] ?? 0) + 1;
      if (res.status === 200) acknowledgedSpans += SPANS_PER_REQUEST;
    } catch (error) {
      ingestStatus[`network:${(error as Error).message}`] = (ingestStatus[`network:${(error as Error).message}`] ?? 0) + 1;
    } finally {
      inFlight--;
    }
  };

  const ingestLoop = async () => {
    const pending = new Set<Promise<void>>();
    let nextAt = performance.now();
    for (let seq = 0; seq < requestsPlanned && performance.now() < deadline; seq++) {
      if (inFlight >= MAX_IN_FLIGHT) skipped++;
      else {
        const p = sendOne(seq).finally(() => pending.delete(p));
        pending.add(p);
      }
      nextAt += intervalMs;
      await sleep(Math.max(0, nextAt - performance.now()));
    }
    await Promise.all(pending);
  };

  const timed = async (list: number[], what: string, fn: () => Promise<Response>, minuteList?: number[]) => {
    const t0 = performance.now();
    try {
      const res = await fn();
      const text = await res.text();
      const ms = performance.now() - t0;
      list.push(ms);
      minuteList?.push(ms);
      if (!res.ok) queryErrors.push(`${what}: ${res.status} ${text.slice(0, 200)}`);
    } catch (error) {
      queryErrors.push(`${what}: ${(error as Error).message}`);
    }
  };
  const overviewInput = encodeURIComponent(JSON.stringify({ json: { orgSlug: org.slug, period: "30d" } }));
  const queryLoop = async () => {
    for (let i = 0; !stopped && performance.now() < deadline; i++) {
      await timed(overviewMs, "overview", () => fetch(`${web}/api/trpc/costs.overview?input=${overviewInput}`, { headers: { cookie } }), minuteOverview);
      if (i % 3 === 0) {
        const to = new Date(Date.now() + 3_600_000).toISOString();
        const from = new Date(Date.now() - 86_400_000).toISOString();
        await timed(readApiMs, "read api", () => fetch(`${web}/api/v1/costs?from=${from}&to=${to}&groupBy=feature,model`, { headers: { authorization: `Bearer ${readKey}` } }));
      }
      await sleep(2_000);
    }
  };

  const sampleLoop = async () => {
    for (let i = 0; !stopped; i++) {
      const minute = Number(((performance.now() - started) / 60_000).toFixed(2));
      // Stored spans from the statistics collector (inserted tuples, flushed by each backend within a second), not
      // count(*): a parallel scan of the growing table every 10 s took both cores for 0.2–0.5 s, a stall the
      // benchmark added to the very latency it measures. The exact count is taken once, after the load.
      const counts = await db.pool.query<{ dirty: number; stored: number }>(
        "SELECT (SELECT count(*)::int FROM dirty_traces) AS dirty, (SELECT coalesce(sum(n_tup_ins), 0)::int FROM pg_stat_user_tables WHERE relname = 'spans') AS stored",
      );
      // Autovacuum workers running right now (what else takes a core from the ingest path).
      const vacuums = await db.pool.query<{ query: string }>("SELECT query FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()");
      samples.push({ minute, rssMb: Math.round(treeRssMb(server.pid!)), dirtyTraces: counts.rows[0]!.dirty, insertedSpansStat: counts.rows[0]!.stored, autovacuum: vacuums.rows.map((r) => r.query) });
      if (i > 0 && i % 6 === 0) {
        perMinute.push({ minute: Math.round(minute), ingest: summary(minuteIngest), overview: summary(minuteOverview), server: await serverSplit() });
        minuteIngest = [];
        minuteOverview = [];
      }
      for (let s = 0; s < 20 && !stopped; s++) await sleep(500);
    }
  };

  // The server's view of the same minute: a request's wait for its batch vs. the batch's transaction, and the
  // event loop's delay (all from its /metrics; histogram percentiles are bucket-interpolated).
  const histograms = ["inferledger_collector_batch_queue_wait_seconds", "inferledger_collector_batch_flush_seconds", "inferledger_collector_request_duration_seconds"] as const;
  let lastScrape: Map<string, Buckets> | null = null;
  let firstScrape: Map<string, Buckets> | null = null;
  const scrape = async () => {
    const text = await (await fetch(`http://${HOST}:${METRICS_PORT}/metrics`)).text();
    const filters: Record<string, Record<string, string>> = { inferledger_collector_batch_queue_wait_seconds: { writer: "spans" }, inferledger_collector_batch_flush_seconds: { writer: "spans" }, inferledger_collector_request_duration_seconds: { signal: "traces" } };
    return { text, buckets: new Map(histograms.map((h) => [h, histogramBuckets(text, h, filters[h])])) };
  };
  const split = (now: Map<string, Buckets>, since: Map<string, Buckets> | null) => {
    const pct = (h: string) => {
      const b = bucketsSince(now.get(h)!, since?.get(h));
      return { p50: quantileMs(b, 0.5), p99: quantileMs(b, 0.99) };
    };
    return { queueWaitMs: pct(histograms[0]), flushMs: pct(histograms[1]), collectorRequestMs: pct(histograms[2]) };
  };
  type ServerSplit = ReturnType<typeof split> & { eventLoopDelayP99Ms: number | null };
  const serverSplit = async (): Promise<ServerSplit | null> => {
    try {
      const { text, buckets } = await scrape();
      const result = { ...split(buckets, lastScrape), eventLoopDelayP99Ms: Math.round((gaugeValue(text, "nodejs_eventloop_lag_p99_seconds") ?? NaN) * 1000) };
      lastScrape = buckets;
      return result;
    } catch {
      return null;
    }
  };
  firstScrape = (await scrape()).buckets;
  lastScrape = firstScrape;

  const sampler = sampleLoop();
  await Promise.all([ingestLoop(), queryLoop()]);
  const elapsedS = (performance.now() - started) / 1000;
  stopped = true;
  await sampler;
  const storedSpans = Number((await db.pool.query("SELECT count(*) FROM spans")).rows[0].count);
  const dirtyAtEnd = Number((await db.pool.query("SELECT count(*) FROM dirty_traces")).rows[0].count);
  // Every load trace holds model calls, so a settled trace is a task: tasks = traces once settlement has caught up.
  const settledAtEnd = (await db.pool.query<{ tasks: number; traces: number; dirty_hours: number }>(
    "SELECT (SELECT count(*)::int FROM tasks) AS tasks, (SELECT count(DISTINCT trace_id)::int FROM spans) AS traces, (SELECT count(*)::int FROM dirty_hours) AS dirty_hours",
  )).rows[0]!;
  const maintenance = (await db.pool.query<{ relname: string; autovacuum_count: number; autoanalyze_count: number }>(
    "SELECT relname, autovacuum_count::int, autoanalyze_count::int FROM pg_stat_user_tables WHERE autovacuum_count + autoanalyze_count > 0 ORDER BY relname",
  )).rows;
  const indexSizesMb = (await db.pool.query<{ name: string; mb: number }>(
    "SELECT c.relname AS name, round(pg_relation_size(c.oid) / 1048576.0)::int AS mb FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') AND pg_relation_size(c.oid) > 50 * 1048576 ORDER BY 2 DESC",
  )).rows;
  const serverWholeRun = await scrape().then(({ buckets }) => split(buckets, firstScrape), () => null);
  const peakRss = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  stopServer();
  await new Promise((r) => server.once("exit", r));
  await bench.drop();

  // RSS growth: least-squares slope over the samples after the first two minutes (warm-up: JIT, caches, pools).
  const steady = samples.filter((s) => s.minute >= 2);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const mx = mean(steady.map((s) => s.minute));
  const my = mean(steady.map((s) => s.rssMb));
  const slope = steady.reduce((a, s) => a + (s.minute - mx) * (s.rssMb - my), 0) / steady.reduce((a, s) => a + (s.minute - mx) ** 2, 0);
  const result = {
    date: new Date().toISOString(),
    serverNodeFlags: nodeFlags,
    traceIds: SEQUENTIAL_TRACE_IDS ? "sequential prefix" : "random",
    minutes: Number((elapsedS / 60).toFixed(2)),
    targetSpansPerSecond: spansPerSecond,
    achievedAcknowledgedSpansPerSecond: Math.round(acknowledgedSpans / elapsedS),
    requestsPlanned,
    requestsSent: ingestMs.length,
    ticksSkippedServerBehind: skipped,
    ingestStatus,
    acknowledgedSpans,
    storedSpans,
    dirtyTracesAtEnd: dirtyAtEnd,
    tracesAtEnd: settledAtEnd.traces,
    tasksAtEnd: settledAtEnd.tasks,
    dirtyHoursAtEnd: settledAtEnd.dirty_hours,
    ingestLatencyMs: summary(ingestMs),
    overviewLatencyMs: summary(overviewMs),
    readApiLatencyMs: summary(readApiMs),
    serverSide: serverWholeRun,
    autovacuumAndAnalyzeRuns: maintenance,
    relationSizesMbOver50: indexSizesMb,
    queryErrors: queryErrors.slice(0, 20),
    queryErrorCount: queryErrors.length,
    rssMb: { first: samples[0]?.rssMb, afterWarmup: steady[0]?.rssMb, last: samples.at(-1)?.rssMb, max: Math.max(...samples.map((s) => s.rssMb)), slopeMbPerMinuteAfterWarmup: Number(slope.toFixed(2)), serverProcessPeakMb: Math.round(peakRss) },
    samples,
    perMinute,
  };
  console.log(JSON.stringify(result, null, 2));
}

await main();
