import type pg from "pg";
import type { Db } from "../../db/client.ts";
import { KEY_LOOKUP_PLANS_ONLY } from "../../db/key-lookup-plans.ts";
import { lockOrgForSettler } from "../../db/settlement-lock.ts";
import { withTransaction } from "../../db/transaction.ts";
import { getEnv } from "../../env.ts";
import { settleTraces, type SettleSpan } from "../../domain/settlement/settle-traces.ts";
import { insertTasks } from "../../db/bulk/insert-tasks.ts";
import { markDirtyHours } from "../../db/bulk/mark-dirty.ts";

export const SETTLE_DELAY_MS = 2_000; // let a trace's spans (exported in several batches) arrive first

type Marked = { org_id: string; trace_id: string; marked_at: Date };

/**
 * Takes up to `limit` traces whose spans changed, re-derives their attribution, retries and tasks, and marks the
 * affected hours for rollup. All writes of one org's batch commit together; a trace re-marked meanwhile stays marked.
 */
export async function settleDirtyTraces({ db, limit = 500, nowMs = Date.now() }: { db: Db; limit?: number; nowMs?: number }): Promise<number> {
  const { rows } = await db.pool.query<Marked>(
    "SELECT org_id, trace_id, marked_at FROM dirty_traces WHERE marked_at <= $1 ORDER BY marked_at LIMIT $2",
    [new Date(nowMs - SETTLE_DELAY_MS), limit],
  );
  const byOrg = new Map<string, Marked[]>();
  for (const r of rows) byOrg.set(r.org_id, [...(byOrg.get(r.org_id) ?? []), r]);
  for (const [orgId, marked] of byOrg) await settleOrgTraces(db, orgId, marked);
  return rows.length;
}

async function settleOrgTraces(db: Db, orgId: string, marked: Marked[]): Promise<void> {
  await withTransaction(db.pool, async (client) => {
    // Every statement below is a lookup by key (spans' and tasks' primary keys, spans(org_id, task_id), dirty_*),
    // so an index nested loop is always the right plan, however stale the statistics (key-lookup-plans.ts).
    await client.query(KEY_LOOKUP_PLANS_ONLY);
    await lockOrgForSettler(client, orgId); // wait for ingest batches of this org that settle traces themselves
    const traceIds = await withTaskSiblings(client, orgId, marked.map((m) => m.trace_id));
    const spans = await loadSpans(client, orgId, traceIds);
    const { spans: resolved, tasks } = settleTraces(spans, { loopCallThreshold: getEnv().INFERLEDGER_LOOP_CALL_THRESHOLD });
    await client.query(
      `UPDATE spans s SET resolved_feature = u.feature, resolved_task_key = u.task_key, resolved_task_type = u.task_type,
         resolved_customer_id = u.customer_id, is_retry = u.is_retry, is_retry_waste = u.is_retry_waste
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[], $9::bool[])
         AS u(trace_id, span_id, feature, task_key, task_type, customer_id, is_retry, is_retry_waste)
       WHERE s.org_id = $1 AND s.trace_id = u.trace_id AND s.span_id = u.span_id
         -- spans settled at ingest already hold their resolution: rewriting an unchanged row costs a new row version
         AND (s.resolved_feature IS DISTINCT FROM u.feature OR s.resolved_task_key IS DISTINCT FROM u.task_key
           OR s.resolved_task_type IS DISTINCT FROM u.task_type OR s.resolved_customer_id IS DISTINCT FROM u.customer_id
           OR s.is_retry IS DISTINCT FROM u.is_retry OR s.is_retry_waste IS DISTINCT FROM u.is_retry_waste)`,
      [orgId, ...columns(resolved, ["traceId", "spanId", "feature", "taskKey", "taskType", "customerId", "isRetry", "isRetryWaste"])],
    );
    const removed = await deleteTasksOfTraces(client, orgId, traceIds, spans);
    await insertTasks(client, orgId, tasks, "replace");
    const hours = [...spans.map((s) => s.startMs), ...tasks.map((t) => t.startMs), ...removed.rows.map((r) => r.start_time.getTime())];
    // dirty_traces before dirty_hours, keys sorted: the lock order of every writer of these queues (ingest too).
    const done = [...marked].sort((a, b) => (a.trace_id < b.trace_id ? -1 : a.trace_id > b.trace_id ? 1 : 0));
    await client.query(
      `DELETE FROM dirty_traces d USING unnest($2::text[], $3::timestamptz[]) AS m(trace_id, marked_at)
       WHERE d.org_id = $1 AND d.trace_id = m.trace_id AND d.marked_at = m.marked_at`,
      [orgId, done.map((m) => m.trace_id), done.map((m) => m.marked_at)],
    );
    await markDirtyHours(client, orgId, hours);
  });
}

/**
 * Removes the tasks that contain any of these traces (they are rebuilt from the spans). A task's key is the task id
 * its spans resolve to, else its trace id (settle-traces.ts), and spans never change once stored — so every task that
 * holds one of these traces is keyed by one of the traces or by a task id on their spans: a primary-key delete, with
 * no dependence on planner statistics. (`trace_ids && $ids` seq-scanned the tasks: 273 traces/s at 300k tasks; a GIN
 * lookup per trace was fast only while the table's statistics were fresh — bench/settlement.ts, bench/soak.ts.)
 */
async function deleteTasksOfTraces(client: pg.PoolClient, orgId: string, traceIds: string[], spans: SettleSpan[]) {
  const keys = [...new Set([...traceIds, ...spans.map((s) => s.taskId).filter((id): id is string => id !== null && id !== "")])].sort();
  return client.query<{ start_time: Date }>(
    "DELETE FROM tasks USING unnest($2::text[]) AS k WHERE tasks.org_id = $1 AND tasks.task_key = k RETURNING tasks.start_time",
    [orgId, keys],
  );
}

/** A task named by inferledger.task.id may span traces: settle all of them together. */
async function withTaskSiblings(client: pg.PoolClient, orgId: string, traceIds: string[]): Promise<string[]> {
  const { rows } = await client.query<{ trace_id: string }>(
    // Per-key LATERAL probes (OFFSET 0 keeps them from becoming joins): `= ANY($ids)` scans the whole org's spans
    // when the statistics are stale (key-lookup-plans.ts).
    `SELECT DISTINCT sibling.trace_id
     FROM (SELECT DISTINCT own.task_id FROM unnest($2::text[]) AS t,
             LATERAL (SELECT task_id FROM spans WHERE org_id = $1 AND trace_id = t AND task_id IS NOT NULL OFFSET 0) AS own) AS ids,
          LATERAL (SELECT trace_id FROM spans WHERE org_id = $1 AND task_id = ids.task_id LIMIT 1000) AS sibling
     LIMIT 1000`,
    [orgId, traceIds],
  );
  return [...new Set([...traceIds, ...rows.map((r) => r.trace_id)])];
}

async function loadSpans(client: pg.PoolClient, orgId: string, traceIds: string[]): Promise<SettleSpan[]> {
  const { rows } = await client.query(
    `SELECT trace_id, span_id, parent_span_id, extract(epoch FROM start_time) * 1000 AS start_ms, extract(epoch FROM end_time) * 1000 AS end_ms,
       status, service_name, feature, task_type, task_id, task_outcome, customer_id, retry_attempt, is_llm_call, operation, provider, model,
       coalesce(input_tokens, 0) AS input_tokens, coalesce(cache_read_tokens, 0) AS cache_read_tokens,
       coalesce(cache_write_tokens, 0) AS cache_write_tokens, coalesce(output_tokens, 0) AS output_tokens, cost_usd::text, gpu_cost_usd::text
     FROM unnest($2::text[]) AS t, LATERAL (SELECT * FROM spans WHERE org_id = $1 AND trace_id = t OFFSET 0) AS s`,
    [orgId, traceIds],
  );
  return rows.map((r) => ({
    traceId: r.trace_id, spanId: r.span_id, parentSpanId: r.parent_span_id, startMs: Number(r.start_ms), endMs: Number(r.end_ms),
    status: r.status, serviceName: r.service_name, feature: r.feature, taskType: r.task_type, taskId: r.task_id, taskOutcome: r.task_outcome,
    customerId: r.customer_id, retryAttempt: r.retry_attempt, isLlmCall: r.is_llm_call, operation: r.operation, provider: r.provider,
    model: r.model, inputTokens: Number(r.input_tokens), cacheReadTokens: Number(r.cache_read_tokens), cacheWriteTokens: Number(r.cache_write_tokens),
    outputTokens: Number(r.output_tokens), costUsd: r.cost_usd, gpuCostUsd: r.gpu_cost_usd,
  }));
}

function columns<T>(rows: T[], keys: (keyof T)[]): unknown[][] {
  return keys.map((k) => rows.map((r) => r[k] ?? null));
}
