/**
 * Settlement throughput: how many dirty traces per second the worker turns into tasks, on a fresh database of a
 * real PostgreSQL server whose org already has `existingTasks` settled tasks with two spans each (the state after
 * days of ingest).
 * Each new trace has two LLM spans (one failed and retried), generated in SQL; the real `settleDirtyTraces` runs in
 * batches of 500 until nothing is dirty. With `--stale-stats` the tables are not analyzed after seeding, as on a
 * database that grew since autovacuum last looked (the soak's case).
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/settlement.ts [existingTasks=300000] [newTraces=5000] [--stale-stats]
 */
import crypto from "node:crypto";
import { createBenchDatabase } from "./lib/bench-database.ts";
import { createOrg } from "../server/services/orgs/create-org.ts";
import { settleDirtyTraces } from "../server/services/settlement/settle-dirty-traces.ts";

const existingTasks = Number(process.argv[2] ?? 300_000);
const newTraces = Number(process.argv[3] ?? 5_000);
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function main() {
  const bench = await createBenchDatabase({ serverUrl, prefix: "inferledger_bench_settle", maxConnections: 4 });
  const { db } = bench;
  try {
    const org = await createOrg({ db, name: "Bench" });
    const t0 = Date.now();
    await db.pool.query(
      `INSERT INTO tasks (org_id, task_key, feature, task_type, customer_id, outcome, start_time, end_time, calls, failed_calls, retry_calls,
         unpriced_calls, input_tokens, output_tokens, cost_usd, retry_cost_usd, failed_cost_usd, primary_provider, primary_model, is_loop, trace_ids)
       SELECT $1, 'trace:old' || t, 'support-bot', 'answer', 'c' || (t % 50), 'success', now() - interval '10 days' + t * interval '1 second',
         now() - interval '10 days' + t * interval '1 second' + interval '2 seconds', 2, 0, 0, 0, 2000, 200, 0.01, 0, 0, 'openai', 'gpt-4o-mini', false,
         ARRAY['old' || t]
       FROM generate_series(1, $2::int) AS t`,
      [org.id, existingTasks],
    );
    // …and their spans, so the spans table is as big as that history makes it (plans that scan it show up).
    await db.pool.query(
      `INSERT INTO spans (org_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, status, service_name, feature,
         is_llm_call, provider, request_model, response_model, model, operation, input_tokens, output_tokens, cost_usd,
         resolved_feature, resolved_task_key)
       SELECT $1, 'old' || t, lpad(to_hex(t * 2 + s), 16, '0'), NULL, 'chat', 3, now() - interval '10 days' + t * interval '1 second',
         now() - interval '10 days' + t * interval '1 second' + interval '1 second', 'ok', 'app', 'support-bot', true, 'openai',
         'gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o-mini', 'chat', 1000, 100, 0.005, 'support-bot', 'trace:old' || t
       FROM generate_series(1, $2::int) AS t, generate_series(0, 1) AS s`,
      [org.id, existingTasks],
    );
    if (!process.argv.includes("--stale-stats")) {
      await db.pool.query("ANALYZE tasks");
      await db.pool.query("ANALYZE spans");
    }
    console.log(`seeded ${existingTasks} existing tasks (and ${2 * existingTasks} spans) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const results: string[] = [];
    {
      const prefix = crypto.randomBytes(4).toString("hex");
      await db.pool.query(
        `INSERT INTO spans (org_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, status, service_name, feature,
           is_llm_call, provider, request_model, response_model, model, operation, input_tokens, output_tokens, cost_usd)
         SELECT $1, $2 || lpad(to_hex(t), 24, '0'), lpad(to_hex(t * 2 + s), 16, '0'), 'root', 'chat', 3,
           now() - interval '1 hour' + s * interval '2 seconds', now() - interval '1 hour' + s * interval '2 seconds' + interval '1 second',
           CASE WHEN s = 0 THEN 'error' ELSE 'ok' END, 'app', 'support-bot', true, 'openai', 'gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o-mini', 'chat', 2000, 200, 0.00042
         FROM generate_series(1, $3::int) AS t, generate_series(0, 1) AS s`,
        [org.id, prefix, newTraces],
      );
      await db.pool.query(
        `INSERT INTO dirty_traces (org_id, trace_id, marked_at) SELECT $1, $2 || lpad(to_hex(t), 24, '0'), now() - interval '1 minute' FROM generate_series(1, $3::int) AS t`,
        [org.id, prefix, newTraces],
      );
      const start = performance.now();
      let settled = 0;
      for (let n; (n = await settleDirtyTraces({ db, limit: 500 })) > 0; ) settled += n;
      const seconds = (performance.now() - start) / 1000;
      const line = `${process.argv.includes("--stale-stats") ? "stale statistics" : "analyzed"}: ${settled} traces settled in ${seconds.toFixed(2)} s = ${Math.round(settled / seconds)} traces/s`;
      console.log(line);
      results.push(line);
    }
    console.log(`\n${existingTasks} existing tasks, ${newTraces} new traces × 2 spans, batches of 500, PostgreSQL ${(await db.pool.query("SHOW server_version")).rows[0].server_version}`);
    for (const r of results) console.log(`- ${r}`);
  } finally {
    await bench.drop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
