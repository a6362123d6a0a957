import type pg from "pg";
import type { SettledTask } from "../../domain/settlement/settle-traces.ts";
import { namedStatement } from "../named-statement.ts";
import { scalarArray, textArray } from "./pg-array.ts";

// Times travel as whole epoch milliseconds, turned into timestamps by exact integer arithmetic: formatting two ISO
// strings per task cost the collector ~0.5 µs each (Date#toISOString), and the server parses an int8 faster than a
// timestamp. Whole milliseconds, as before (a Date truncates the settler's fractional milliseconds the same way).
const fromEpochMs = (column: string) => `timestamptz 'epoch' + ${column} * interval '1 millisecond'`;

const INSERT_TASKS = `INSERT INTO tasks (org_id, task_key, feature, task_type, customer_id, outcome, start_time, end_time, calls, failed_calls,
    retry_calls, unpriced_calls, input_tokens, output_tokens, cost_usd, retry_cost_usd, failed_cost_usd, primary_provider,
    primary_model, is_loop, trace_ids, cached_input_tokens, cache_write_tokens)
  SELECT $1, u.task_key, u.feature, u.task_type, u.customer_id, u.outcome, ${fromEpochMs("u.start_ms")}, ${fromEpochMs("u.end_ms")}, u.calls, u.failed_calls,
    u.retry_calls, u.unpriced_calls, u.input_tokens, u.output_tokens, u.cost_usd, u.retry_cost_usd, u.failed_cost_usd,
    u.primary_provider, u.primary_model, u.is_loop, u.trace_ids::text[], u.cached_input_tokens, u.cache_write_tokens
  FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int8[], $8::int8[], $9::int[],
    $10::int[], $11::int[], $12::int[], $13::int8[], $14::int8[], $15::numeric[], $16::numeric[], $17::numeric[], $18::text[],
    $19::text[], $20::bool[], $21::text[], $22::int8[], $23::int8[])
    AS u(task_key, feature, task_type, customer_id, outcome, start_ms, end_ms, calls, failed_calls, retry_calls,
      unpriced_calls, input_tokens, output_tokens, cost_usd, retry_cost_usd, failed_cost_usd, primary_provider, primary_model,
      is_loop, trace_ids, cached_input_tokens, cache_write_tokens)`;

const ON_CONFLICT_REPLACE = `ON CONFLICT (org_id, task_key) DO UPDATE SET feature = excluded.feature, task_type = excluded.task_type,
    customer_id = excluded.customer_id, outcome = excluded.outcome, start_time = excluded.start_time, end_time = excluded.end_time,
    calls = excluded.calls, failed_calls = excluded.failed_calls, retry_calls = excluded.retry_calls,
    unpriced_calls = excluded.unpriced_calls, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
    cost_usd = excluded.cost_usd, retry_cost_usd = excluded.retry_cost_usd, failed_cost_usd = excluded.failed_cost_usd,
    primary_provider = excluded.primary_provider, primary_model = excluded.primary_model, is_loop = excluded.is_loop,
    trace_ids = excluded.trace_ids, cached_input_tokens = excluded.cached_input_tokens, cache_write_tokens = excluded.cache_write_tokens`;

/**
 * The parameters $2… of INSERT_TASKS: one array literal per column (pg-array.ts), rows in task-key order. Built in
 * one pass with each field read by name: a copy of every task and a read per (column, task) by a computed key cost
 * ~8 µs per task (bench/otlp-decode.ts, `tasks`).
 */
export function taskArrays(tasks: SettledTask[]): string[] {
  const sorted = [...tasks].sort((a, b) => (a.taskKey < b.taskKey ? -1 : a.taskKey > b.taskKey ? 1 : 0)); // one lock order
  const n = sorted.length;
  const text = () => new Array<string | null>(n);
  const scalar = () => new Array<number | string | boolean>(n);
  const taskKey = text(), feature = text(), taskType = text(), customerId = text(), outcome = text(), startMs = scalar(), endMs = scalar();
  const calls = scalar(), failedCalls = scalar(), retryCalls = scalar(), unpricedCalls = scalar(), inputTokens = scalar(), outputTokens = scalar();
  const costUsd = scalar(), retryCostUsd = scalar(), failedCostUsd = scalar(), isLoop = scalar(), cachedInputTokens = scalar(), cacheWriteTokens = scalar();
  const primaryProvider = text(), primaryModel = text(), traceIds = text();
  for (let i = 0; i < n; i++) {
    const t = sorted[i]!;
    taskKey[i] = t.taskKey; feature[i] = t.feature; taskType[i] = t.taskType; customerId[i] = t.customerId; outcome[i] = t.outcome;
    startMs[i] = Math.trunc(t.startMs); endMs[i] = Math.trunc(t.endMs);
    calls[i] = t.calls; failedCalls[i] = t.failedCalls; retryCalls[i] = t.retryCalls; unpricedCalls[i] = t.unpricedCalls;
    inputTokens[i] = t.inputTokens; outputTokens[i] = t.outputTokens;
    costUsd[i] = t.costUsd; retryCostUsd[i] = t.retryCostUsd; failedCostUsd[i] = t.failedCostUsd; // exact decimal strings
    primaryProvider[i] = t.primaryProvider; primaryModel[i] = t.primaryModel; isLoop[i] = t.isLoop;
    // Each task's trace ids travel as the text of a text[] (cast per row), not as JSON to unpack with a subquery per row.
    traceIds[i] = textArray(t.traceIds);
    cachedInputTokens[i] = t.cachedInputTokens; cacheWriteTokens[i] = t.cacheWriteTokens;
  }
  // In INSERT_TASKS' order; text columns are quoted in their array literals, the others are not.
  return [
    textArray(taskKey), textArray(feature), textArray(taskType), textArray(customerId), textArray(outcome), scalarArray(startMs), scalarArray(endMs),
    scalarArray(calls), scalarArray(failedCalls), scalarArray(retryCalls), scalarArray(unpricedCalls), scalarArray(inputTokens),
    scalarArray(outputTokens), scalarArray(costUsd), scalarArray(retryCostUsd), scalarArray(failedCostUsd), textArray(primaryProvider),
    textArray(primaryModel), scalarArray(isLoop), textArray(traceIds), scalarArray(cachedInputTokens), scalarArray(cacheWriteTokens),
  ];
}

/**
 * Writes settled tasks of one org. `replace` (the settler, which deleted the old versions first) overwrites a task
 * that exists; `claim` (settlement at ingest) inserts only new tasks and returns the keys it inserted — a key that
 * exists belongs to a task someone else (a concurrent batch, an earlier settlement) already holds.
 */
export async function insertTasks(
  client: pg.PoolClient,
  orgId: string,
  tasks: SettledTask[],
  mode: "replace" | "claim",
  /** As a named statement, prepared once per connection: only on a real server (see namedStatement). */
  options: { prepared?: boolean } = {},
): Promise<string[]> {
  if (tasks.length === 0) return [];
  const sql = mode === "replace" ? `${INSERT_TASKS} ${ON_CONFLICT_REPLACE}` : `${INSERT_TASKS} ON CONFLICT (org_id, task_key) DO NOTHING RETURNING task_key`;
  const { rows } = await client.query<{ task_key: string }>(namedStatement(options.prepared, `insert_tasks_${mode}`, sql, [orgId, ...taskArrays(tasks)]));
  return rows.map((r) => r.task_key);
}
