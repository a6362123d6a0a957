import { afterAll, describe, expect, inject, it } from "vitest";
import type { SpanRow } from "../../../server/db/bulk/insert-spans.ts";
import type { Db } from "../../../server/db/client.ts";
import { KEY_LOOKUP_PLANS_ONLY } from "../../../server/db/key-lookup-plans.ts";
import { getEnv } from "../../../server/env.ts";
import { storeSpanBatch, storeSpanBatchDurably } from "../../../server/services/settlement/store-span-batch.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";

const usage = { inputTokens: 1000, outputTokens: 100 };
const OPTIONS = { loopCallThreshold: getEnv().INFERLEDGER_LOOP_CALL_THRESHOLD }; // the settler reads the same setting
type S = ReturnType<typeof span>;
const rows = (orgId: string, spans: S[], costUsd: string | null = "0.000210000000"): SpanRow[] =>
  spans.map((s) => ({ orgId, span: s, costUsd: s.llm ? costUsd : null, priceRef: s.llm && costUsd ? "catalog" : null }));
const store = (db: Db, batch: SpanRow[]) => storeSpanBatchDurably(db.pool, batch, OPTIONS);

/** A root carrying the task context with `calls` model calls under it (the first fails and is retried). */
function trace(atMs: number, calls: number, o: { taskId?: string; outcome?: "success" | "failure"; traceId?: string } = {}): S[] {
  const traceId = o.traceId ?? hex(16);
  const root = span({ traceId, startMs: atMs, durationMs: 10_000, attribution: { feature: "support", customerId: "acme", taskId: o.taskId ?? null, taskType: "ticket" } });
  const children = Array.from({ length: calls }, (_, i) =>
    span({ traceId, parentSpanId: root.spanId, startMs: atMs + 10 + i * 100, status: i === 0 && calls > 1 ? "error" : "ok", llm: usage,
      attribution: i === calls - 1 && o.outcome ? { taskOutcome: o.outcome } : {} }));
  return [root, ...children];
}

async function snapshot(db: Db, orgId: string) {
  const tasks = await db.pool.query(
    `SELECT task_key, feature, task_type, customer_id, outcome, start_time, end_time, calls, failed_calls, retry_calls, unpriced_calls,
       input_tokens, output_tokens, cost_usd::text, retry_cost_usd::text, failed_cost_usd::text, primary_provider, primary_model, is_loop,
       (SELECT array_agg(x ORDER BY x) FROM unnest(trace_ids) x) AS trace_ids
     FROM tasks WHERE org_id = $1 ORDER BY task_key`, [orgId]);
  const spans = await db.pool.query(
    `SELECT trace_id, span_id, resolved_feature, resolved_task_key, resolved_task_type, resolved_customer_id, is_retry, is_retry_waste
     FROM spans WHERE org_id = $1 ORDER BY trace_id, span_id`, [orgId]);
  const rollups = await db.pool.query(
    "SELECT hour, feature, sum(calls)::int AS calls, sum(tasks)::int AS tasks, sum(api_cost_usd)::text AS cost FROM hourly_rollups WHERE org_id = $1 GROUP BY 1, 2 ORDER BY 1, 2",
    [orgId]);
  return { tasks: tasks.rows, spans: spans.rows, rollups: rollups.rows };
}
const dirtyTraces = async (db: Db, orgId: string) =>
  (await db.pool.query<{ trace_id: string }>("SELECT trace_id FROM dirty_traces WHERE org_id = $1 ORDER BY trace_id", [orgId])).rows.map((r) => r.trace_id);

describe("settlement at ingest: traces a batch holds whole are settled in the ingest transaction", () => {
  const db = testDb();
  afterAll(closeTestDb);
  const at = Date.now() - 2 * 3_600_000;

  it("gives exactly what the settler gives from storage, and leaves only incomplete traces to it", async () => {
    const { org } = await createTestOrg(db);
    const whole = [trace(at, 2), trace(at + 1000, OPTIONS.loopCallThreshold + 1) /* a loop */, trace(at + 2000, 1, { outcome: "failure" })];
    const shared = [trace(at + 3000, 1, { taskId: "job-7" }), trace(at + 4000, 2, { taskId: "job-7" })]; // one task, two traces
    const orphanTrace = hex(16);
    const orphans = [span({ traceId: orphanTrace, parentSpanId: hex(8), startMs: at, llm: usage })]; // its root comes later
    const plain = [span({ traceId: hex(16), startMs: at })]; // no model call: no task
    const batch = [...rows(org.id, [...whole.flat(), ...shared.flat(), ...orphans, ...plain]), ...rows(org.id, trace(at + 5000, 1), null)];

    const result = await store(db, batch);
    expect(result).toEqual({ insertedSpans: batch.length, settledTraces: 6, dirtyTraces: 2 });
    expect(await dirtyTraces(db, org.id)).toEqual([orphanTrace, plain[0]!.traceId].sort());
    const atIngest = await snapshot(db, org.id);
    expect(atIngest.tasks.find((t) => t.task_key === "job-7")).toMatchObject({ calls: 3, retry_calls: 1, feature: "support" });
    expect(atIngest.tasks.filter((t) => t.is_loop)).toHaveLength(1);
    expect(atIngest.tasks.filter((t) => t.unpriced_calls === 1)).toHaveLength(1);

    await runWorkerUntilIdle(db);
    const settled = await snapshot(db, org.id);
    expect(settled.tasks).toHaveLength(atIngest.tasks.length + 1); // + the orphan's own task
    expect(settled.rollups.reduce((n, r) => n + r.tasks, 0)).toBe(settled.tasks.length);

    // Re-settle everything from storage: nothing may change.
    await db.pool.query("INSERT INTO dirty_traces (org_id, trace_id, marked_at) SELECT DISTINCT org_id, trace_id, now() FROM spans WHERE org_id = $1 ON CONFLICT DO NOTHING", [org.id]);
    await runWorkerUntilIdle(db);
    expect(await snapshot(db, org.id)).toEqual(settled);
  });

  it("a late span of a settled trace sends it to the settler, which rebuilds the task with it", async () => {
    const { org } = await createTestOrg(db);
    const spans = trace(at, 2);
    await store(db, rows(org.id, spans));
    expect(await dirtyTraces(db, org.id)).toEqual([]);
    const late = span({ traceId: spans[0]!.traceId, parentSpanId: spans[0]!.spanId, startMs: at + 5000, llm: usage, attribution: { taskOutcome: "failure" } });
    expect(await store(db, rows(org.id, [late]))).toMatchObject({ settledTraces: 0, dirtyTraces: 1 });
    await runWorkerUntilIdle(db);
    const { tasks } = await snapshot(db, org.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ calls: 3, outcome: "failure" });
  });

  it("a trace with spans stored earlier is not settled from the batch alone", async () => {
    const { org } = await createTestOrg(db);
    const spans = trace(at, 1);
    // A child without model calls, carrying the outcome, arrived (and was settled: no task) before its root did.
    const early = span({ traceId: spans[0]!.traceId, parentSpanId: spans[0]!.spanId, startMs: at + 50, attribution: { taskOutcome: "failure" } });
    await store(db, rows(org.id, [early]));
    await runWorkerUntilIdle(db);
    expect((await snapshot(db, org.id)).tasks).toEqual([]);

    expect(await store(db, rows(org.id, spans))).toMatchObject({ settledTraces: 0, dirtyTraces: 1 });
    await runWorkerUntilIdle(db);
    expect((await snapshot(db, org.id)).tasks).toMatchObject([{ calls: 1, outcome: "failure" }]);
  });

  it("a trace joining a task id stored earlier is settled with the task's other traces", async () => {
    const { org } = await createTestOrg(db);
    await store(db, rows(org.id, trace(at, 1, { taskId: "job-9" })));
    expect(await store(db, rows(org.id, trace(at + 1000, 1, { taskId: "job-9" })))).toMatchObject({ settledTraces: 0, dirtyTraces: 1 });
    await runWorkerUntilIdle(db);
    expect((await snapshot(db, org.id)).tasks).toMatchObject([{ task_key: "job-9", calls: 2 }]);
  });

  it("a re-sent batch changes nothing and marks nothing", async () => {
    const { org } = await createTestOrg(db);
    const batch = rows(org.id, [...trace(at, 2), ...trace(at, 3)]);
    await store(db, batch);
    await runWorkerUntilIdle(db);
    const before = await snapshot(db, org.id);
    expect(await store(db, batch)).toEqual({ insertedSpans: 0, settledTraces: 0, dirtyTraces: 0 });
    expect(await dirtyTraces(db, org.id)).toEqual([]);
    expect(await snapshot(db, org.id)).toEqual(before);
  });

  it("keeps orgs apart: the same trace and task ids in another org settle into that org only", async () => {
    const a = await createTestOrg(db);
    const b = await createTestOrg(db);
    const spans = trace(at, 2, { taskId: "job-1" });
    await store(db, [...rows(a.org.id, spans), ...rows(b.org.id, spans.slice(0, 2))]);
    await runWorkerUntilIdle(db);
    expect((await snapshot(db, a.org.id)).tasks).toMatchObject([{ task_key: "job-1", calls: 2 }]);
    expect((await snapshot(db, b.org.id)).tasks).toMatchObject([{ task_key: "job-1", calls: 1 }]);
  });

  // Two transactions at once need two database sessions; embedded PGlite serves one.
  it.runIf(inject("databaseKind") === "postgresql")("two batches holding parts of one trace at the same time: one claims the task, the settler completes it", async () => {
    const { org } = await createTestOrg(db);
    const traceId = hex(16);
    const partA = trace(at, 2, { traceId }); // two roots in one trace, exported by two processes at once
    const partB = trace(at + 500, 1, { traceId, outcome: "failure" });
    const a = await db.pool.connect();
    const b = await db.pool.connect();
    try {
      await a.query(`BEGIN; ${KEY_LOOKUP_PLANS_ONLY}`);
      await b.query(`BEGIN; ${KEY_LOOKUP_PLANS_ONLY}`);
      expect(await storeSpanBatch(a, rows(org.id, partA), OPTIONS)).toMatchObject({ settledTraces: 1 });
      const second = storeSpanBatch(b, rows(org.id, partB), OPTIONS); // waits on A's task row
      await new Promise((r) => setTimeout(r, 200));
      await a.query("COMMIT");
      expect(await second).toMatchObject({ settledTraces: 0, dirtyTraces: 1 });
      await b.query("COMMIT");
    } finally {
      a.release();
      b.release();
    }
    await runWorkerUntilIdle(db);
    expect((await snapshot(db, org.id)).tasks).toMatchObject([{ task_key: traceId, calls: 3, outcome: "failure" }]);
  });
});
