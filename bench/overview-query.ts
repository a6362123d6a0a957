/**
 * Rollup query benchmark: a fresh database on a real PostgreSQL server filled with `calls` stored LLM calls
 * over `days` days for one org (plus two noise orgs with 5% as many each, interleaved in time), generated in
 * SQL (generate_series) straight into the real `spans`, `tasks`, `gpu_samples` and `gpu_pools` tables, then
 * every org-hour rolled up by the real `recomputeRollupHour` (GPU pool hours and hourly rollups exactly as
 * production computes them). Then it times the real 30-day overview service and the read API's query.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/overview-query.ts [calls] [days] [iterations]
 *
 * BENCH_KEEP=1 keeps the database (its name is printed) for EXPLAIN ANALYZE; BENCH_REUSE=<db name> skips the
 * generation and only times (BENCH_REROLL=1 also recomputes the rollups first, after a migration changed them).
 */
import pg from "pg";
import { createDb, type Db } from "../server/db/client.ts";
import { applyMigrations } from "../server/db/migrate.ts";
import { getOverview } from "../server/services/costs/get-overview.ts";
import { queryCosts, type CostQuery } from "../server/services/costs/query-costs.ts";
import { recomputeRollupHour } from "../server/services/costs/recompute-rollups.ts";
import { createOrg } from "../server/services/orgs/create-org.ts";
import type { OrgContext } from "../server/services/org-context.ts";

const calls = Number(process.argv[2] ?? 10_000_000);
const days = Number(process.argv[3] ?? 35);
const iterations = Number(process.argv[4] ?? 60);
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const HOUR_MS = 3_600_000;
const CALLS_PER_TASK = 4;

// Catalog-like prices (USD per 1M tokens); the self-hosted model has no price (its cost comes from the pool),
// the fine-tune is unpriced. Two models per feature, 12 features, 2 task types each, 200 customers (skewed).
const MODELS: { provider: string; model: string; pin: string; pcache: string; pout: string }[] = [
  { provider: "openai", model: "gpt-4o-mini", pin: "0.15", pcache: "0.075", pout: "0.6" },
  { provider: "openai", model: "gpt-4.1", pin: "2", pcache: "0.5", pout: "8" },
  { provider: "anthropic", model: "claude-sonnet-4-20250514", pin: "3", pcache: "0.3", pout: "15" },
  { provider: "anthropic", model: "claude-haiku-4-5-20251001", pin: "1", pcache: "0.1", pout: "5" },
  { provider: "google", model: "gemini-2.5-flash", pin: "0.3", pcache: "0.075", pout: "2.5" },
  { provider: "openai", model: "o4-mini", pin: "1.1", pcache: "0.275", pout: "4.4" },
  { provider: "vllm", model: "llama-3.1-70b", pin: "", pcache: "", pout: "" },
  { provider: "openai", model: "ft:gpt-4o-mini:acme", pin: "", pcache: "", pout: "" },
];
const FEATURES = 12;
const CUSTOMERS = 200;

function modelsSql(): string {
  return MODELS.map((m, i) =>
    `(${i}, '${m.provider}', '${m.model}', ${m.pin ? `${m.pin}::numeric` : "NULL::numeric"}, ${m.pcache ? `${m.pcache}::numeric` : "NULL::numeric"}, ${m.pout ? `${m.pout}::numeric` : "NULL::numeric"})`,
  ).join(", ");
}

/**
 * Calls [lo, hi) of one org. Call i belongs to task t = i / 4 (one trace per task); everything is derived from
 * t and i by integer hashing so spans and tasks agree without a join. Task t starts at t·(span/tasks).
 */
function insertSpansSql(): string {
  return `
  WITH m(idx, provider, model, pin, pcache, pout) AS (VALUES ${modelsSql()}),
  c AS (
    SELECT i, i / ${CALLS_PER_TASK} AS t, i % ${CALLS_PER_TASK} AS k,
      $2::timestamptz + ((i / ${CALLS_PER_TASK}) * $3::float8) * interval '1 millisecond' + (i % ${CALLS_PER_TASK}) * interval '1500 milliseconds' AS st
    FROM generate_series($4::bigint, $5::bigint - 1) AS i
  ), d AS (
    SELECT c.*, ((c.t * 7919) % ${FEATURES})::int AS f,
      floor(${CUSTOMERS} * power(((c.t * 104729) % 10007) / 10007.0, 3))::int AS cust,
      (c.t % 50 = 0 AND c.k = 0) AS failed,
      (c.t % 50 = 0 AND c.k = 1) AS retry,
      500 + (c.i * 37) % 3000 AS input, CASE WHEN c.i % 3 = 0 THEN 256 + (c.i * 11) % 1024 ELSE 0 END AS cache_read,
      40 + (c.i * 13) % 600 AS output
    FROM c
  ), e AS (
    SELECT d.*, m.provider, m.model, m.pin, m.pcache, m.pout
    FROM d JOIN m ON m.idx = CASE WHEN d.k = 3 THEN (d.f + 1) % ${MODELS.length} ELSE d.f % ${MODELS.length} END
  )
  INSERT INTO spans (org_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, status, service_name,
    feature, task_type, customer_id, prompt_name, is_llm_call, provider, request_model, response_model, model, operation,
    input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, server_address, cost_usd, price_ref,
    resolved_feature, resolved_task_key, resolved_task_type, resolved_customer_id, is_retry, is_retry_waste)
  SELECT $1, lpad(to_hex(e.t), 32, '0'), lpad(to_hex(e.i), 16, '0'), lpad(to_hex(e.t), 16, 'f'), 'chat ' || e.model, 3,
    e.st, e.st + interval '1200 milliseconds', CASE WHEN e.failed THEN 'error' ELSE 'ok' END, 'app',
    'feature-' || e.f, 'type-' || (e.t % 2), 'customer-' || e.cust, 'prompt-' || e.f, true, e.provider, e.model, e.model, e.model, 'chat',
    e.input, e.cache_read, 0, e.output, 0, CASE WHEN e.provider = 'vllm' THEN 'vllm.internal' ELSE 'api.' || e.provider || '.com' END,
    CASE WHEN e.pin IS NULL THEN NULL ELSE round(((e.input - e.cache_read) * e.pin + e.cache_read * e.pcache + e.output * e.pout) / 1000000, 12) END,
    CASE WHEN e.pin IS NULL THEN NULL ELSE 'bench:' || e.model END,
    'feature-' || e.f, 'trace:' || lpad(to_hex(e.t), 32, '0'), 'type-' || (e.t % 2), 'customer-' || e.cust, e.retry, e.failed
  FROM e`;
}

function insertTasksSql(): string {
  return `
  WITH m(idx, provider, model, pin, pcache, pout) AS (VALUES ${modelsSql()}),
  t AS (
    SELECT t, $2::timestamptz + (t * $3::float8) * interval '1 millisecond' AS st, ((t * 7919) % ${FEATURES})::int AS f,
      floor(${CUSTOMERS} * power(((t * 104729) % 10007) / 10007.0, 3))::int AS cust
    FROM generate_series($4::bigint, $5::bigint - 1) AS t
  )
  INSERT INTO tasks (org_id, task_key, feature, task_type, customer_id, outcome, start_time, end_time, calls, failed_calls, retry_calls,
    unpriced_calls, input_tokens, output_tokens, cost_usd, retry_cost_usd, failed_cost_usd, primary_provider, primary_model, is_loop, trace_ids)
  SELECT $1, 'trace:' || lpad(to_hex(t.t), 32, '0'), 'feature-' || t.f, 'type-' || (t.t % 2), 'customer-' || t.cust,
    CASE WHEN t.t % 97 = 0 THEN 'failure' ELSE 'success' END, t.st, t.st + interval '6 seconds', ${CALLS_PER_TASK},
    (t.t % 50 = 0)::int, (t.t % 50 = 0)::int, 0, 6000, 1200, 0, 0, 0, m.provider, m.model, false, ARRAY[lpad(to_hex(t.t), 32, '0')]
  FROM t JOIN m ON m.idx = t.f % ${MODELS.length}`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function generateOrg(db: Db, orgId: string, orgCalls: number, startMs: number, spanMs: number): Promise<void> {
  const tasks = Math.ceil(orgCalls / CALLS_PER_TASK);
  const msPerTask = spanMs / tasks;
  const chunk = 500_000;
  for (let lo = 0; lo < orgCalls; lo += chunk) {
    const hi = Math.min(orgCalls, lo + chunk);
    const t0 = performance.now();
    await db.pool.query(insertSpansSql(), [orgId, new Date(startMs), msPerTask, lo, hi]);
    log(`  spans ${hi.toLocaleString("en")}/${orgCalls.toLocaleString("en")} (${Math.round((hi - lo) / ((performance.now() - t0) / 1000)).toLocaleString("en")} rows/s)`);
  }
  for (let lo = 0; lo < tasks; lo += chunk * 2) {
    const hi = Math.min(tasks, lo + chunk * 2);
    await db.pool.query(insertTasksSql(), [orgId, new Date(startMs), msPerTask, lo, hi]);
    log(`  tasks ${hi.toLocaleString("en")}/${tasks.toLocaleString("en")}`);
  }
}

/** One 4-GPU pool serving the self-hosted model, one utilization sample per GPU per minute. */
async function generatePool(db: Db, orgId: string, startMs: number, endMs: number): Promise<void> {
  await db.pool.query(
    `INSERT INTO gpu_pools (id, org_id, name, gpu_type, gpu_count, usd_per_gpu_hour, match_hosts, serves_models)
     VALUES ($1 || ':pool', $1, 'llama-pool', 'h100-sxm', 4, 2.49, ARRAY['gpu-node-1'], ARRAY['llama-3.1-70b'])`,
    [orgId],
  );
  await db.pool.query(
    `INSERT INTO gpu_samples (org_id, gpu_uuid, time, host, gpu_model_name, utilization_ratio, power_watts)
     SELECT $1, 'GPU-' || g, ts, 'gpu-node-1', 'NVIDIA H100 80GB HBM3', 0.35 + 0.3 * sin(extract(epoch FROM ts) / 7200 + g), 450
     FROM generate_series($2::timestamptz, $3::timestamptz - interval '1 minute', interval '1 minute') ts, generate_series(0, 3) g`,
    [orgId, new Date(startMs), new Date(endMs)],
  );
}

async function rollUp(db: Db, orgIds: string[], startMs: number, endMs: number): Promise<void> {
  const hours = Math.round((endMs - startMs) / HOUR_MS);
  for (const orgId of orgIds) {
    const t0 = performance.now();
    for (let h = 0; h < hours; h++) {
      await recomputeRollupHour({ db, orgId, hour: new Date(startMs + h * HOUR_MS) });
      if ((h + 1) % 100 === 0 || h + 1 === hours) log(`  rollups ${orgId.slice(0, 8)} ${h + 1}/${hours} hours (${((performance.now() - t0) / (h + 1)).toFixed(0)} ms/hour)`);
    }
  }
  // recomputeRollupHour marks traces whose GPU cost changed for re-settlement; their tasks carry no GPU money
  // the overview reads, so the bench clears the queue instead of settling 10M calls.
  await db.pool.query("TRUNCATE dirty_traces");
}

async function time(label: string, iterationsN: number, fn: () => Promise<unknown>): Promise<{ label: string; p50: number; p95: number; max: number }> {
  for (let i = 0; i < 3; i++) await fn(); // warm the plan and buffer caches like a dashboard in use
  const samples: number[] = [];
  for (let i = 0; i < iterationsN; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const r = { label, p50: percentile(samples, 50), p95: percentile(samples, 95), max: samples[samples.length - 1]! };
  log(`${label}: p50 ${fmt(r.p50)}  p95 ${fmt(r.p95)}  max ${fmt(r.max)}  (${iterationsN} runs)`);
  return r;
}

async function main(): Promise<void> {
  const reuse = process.env.BENCH_REUSE;
  const dbName = reuse ?? `inferledger_bench_overview_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  if (!reuse) await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const db = createDb({ url: url.toString(), maxConnections: 4 });
  const keep = process.env.BENCH_KEEP === "1" || Boolean(reuse);
  try {
    await applyMigrations(db.pool);
    const endMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS + HOUR_MS; // the current hour is included
    const startMs = endMs - days * 24 * HOUR_MS;
    let orgId: string;
    if (!reuse) {
      const tGen = performance.now();
      const main = await createOrg({ db, name: "Bench main" });
      const noise = [await createOrg({ db, name: "Bench noise 1" }), await createOrg({ db, name: "Bench noise 2" })];
      orgId = main.id;
      log(`database ${dbName}: ${calls.toLocaleString("en")} calls over ${days} days for ${main.id}, ${Math.round(calls * 0.05).toLocaleString("en")} for each of 2 noise orgs`);
      for (const [id, n] of [[main.id, calls], ...noise.map((o) => [o.id, Math.round(calls * 0.05)] as const)] as const) {
        log(`org ${id.slice(0, 8)}`);
        await generatePool(db, id, startMs, endMs);
        await generateOrg(db, id, n, startMs, endMs - startMs);
      }
      log("ANALYZE");
      await db.pool.query("ANALYZE");
      log(`generated in ${((performance.now() - tGen) / 1000).toFixed(0)} s; rolling up`);
      const tRoll = performance.now();
      await rollUp(db, [main.id, ...noise.map((o) => o.id)], startMs, endMs);
      await db.pool.query("ANALYZE");
      log(`rolled up in ${((performance.now() - tRoll) / 1000).toFixed(0)} s`);
    } else {
      const { rows } = await db.pool.query<{ id: string }>("SELECT id FROM organizations WHERE name = 'Bench main'");
      orgId = rows[0]!.id;
      if (process.env.BENCH_REROLL === "1") {
        const { rows: orgs } = await db.pool.query<{ id: string }>("SELECT id FROM organizations WHERE name LIKE 'Bench %' ORDER BY name");
        const { rows: span } = await db.pool.query<{ lo: Date; hi: Date }>("SELECT min(hour) AS lo, max(hour) AS hi FROM hourly_rollups");
        await rollUp(db, orgs.map((o) => o.id), span[0]!.lo.getTime(), span[0]!.hi.getTime() + HOUR_MS);
        await db.pool.query("ANALYZE");
      }
    }
    const { rows: sizes } = await db.pool.query<{ spans: number; tasks: number; rollups: number; org_rollups: number; db_size: string }>(
      `SELECT (SELECT count(*) FROM spans)::int AS spans, (SELECT count(*) FROM tasks)::int AS tasks,
        (SELECT count(*) FROM hourly_rollups)::int AS rollups, (SELECT count(*) FROM hourly_rollups WHERE org_id = $1)::int AS org_rollups,
        pg_size_pretty(pg_database_size(current_database())) AS db_size`,
      [orgId],
    );
    log(`stored: ${JSON.stringify(sizes[0])}`);

    const org = (await db.prisma.organization.findUniqueOrThrow({ where: { id: orgId }, select: { id: true, slug: true, name: true } }));
    const ctx: OrgContext = { db, org, actor: { type: "system", name: "bench" } };
    const nowMs = endMs - HOUR_MS + 17 * 60_000; // 17 minutes into the current hour
    const to = new Date(nowMs);
    const from = new Date(nowMs - 30 * 24 * HOUR_MS);
    const readQuery = (q: Partial<CostQuery>): CostQuery => ({ from, to, groupBy: [], filters: {}, ...q });
    const results = [
      await time("getOverview 30d (4 queries in parallel)", iterations, () => getOverview({ ctx, preset: "30d", nowMs })),
      await time("queryCosts 30d totals (read API, unaligned edges)", iterations, () => queryCosts({ ctx, query: readQuery({}) })),
      await time("queryCosts 30d groupBy=feature,model,day", iterations, () => queryCosts({ ctx, query: readQuery({ groupBy: ["feature", "model", "day"] }) })),
      await time("queryCosts 30d groupBy=customer", iterations, () => queryCosts({ ctx, query: readQuery({ groupBy: ["customer"] }) })),
    ];
    console.log("\n| query | p50 | p95 | max |\n|---|---|---|---|");
    for (const r of results) console.log(`| ${r.label} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.max)} |`);
    console.log(`\nstored: ${JSON.stringify(sizes[0])}`);
  } finally {
    await db.close();
    if (keep) {
      log(`kept database ${dbName} (drop it with: DROP DATABASE "${dbName}" WITH (FORCE))`);
    } else {
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      log(`dropped database ${dbName}`);
    }
    await admin.end();
  }
}

await main();
