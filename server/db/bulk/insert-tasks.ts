import type pg from "pg";
import type { SettledTask } from "../../domain/settlement/settle-traces.ts";
import { namedStatement } from "../named-statement.ts";
import { scalarArray, textArray } from "./pg-array.ts";

const INSERT_TASKS = `INSERT INTO tasks (org_id, task_key, feature, task_type, customer_id, outcome, start_time, end_time, calls, failed_calls,
    retry_calls, unpriced_calls, input_tokens, output_tokens, cost_usd, retry_cost_usd, failed_cost_usd, primary_provider,
    primary_model, is_loop, trace_ids, cached_input_tokens, cache_write_tokens)
  SELECT $1, u.task_key, u.feature, u.task_type, u.customer_id, u.outcome, u.start_time, u.end_time, u.calls, u.failed_calls,
    u.retry_calls, u.unpriced_calls, u.input_tokens, u.output_tokens, u.cost_usd, u.retry_cost_usd, u.failed_cost_usd,
    u.primary_provider, u.primary_model, u.is_loop, u.trace_ids::text[], u.cached_input_tokens, u.cache_write_tokens
  FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::int[],
    $10::int[], $11::int[], $12::int[], $13::int8[], $14::int8[], $15::numeric[], $16::numeric[], $17::numeric[], $18::text[],
    $19::text[], $20::bool[], $21::text[], $22::int8[], $23::int8[])
    AS u(task_key, feature, task_type, customer_id, outcome, start_time, end_time, calls, failed_calls, retry_calls,
      unpriced_calls, input_tokens, output_tokens, cost_usd, retry_cost_usd, failed_cost_usd, primary_provider, primary_model,
      is_loop, trace_ids, cached_input_tokens, cache_write_tokens)`;

const ON_CONFLICT_REPLACE = `ON CONFLICT (org_id, task_key) DO UPDATE SET feature = excluded.feature, task_type = excluded.task_type,
    customer_id = excluded.customer_id, outcome = excluded.outcome, start_time = excluded.start_time, end_time = excluded.end_time,
    calls = excluded.calls, failed_calls = excluded.failed_calls, retry_calls = excluded.retry_calls,
    unpriced_calls = excluded.unpriced_calls, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
    cost_usd = excluded.cost_usd, retry_cost_usd = excluded.retry_cost_usd, failed_cost_usd = excluded.failed_cost_usd,
    primary_provider = excluded.primary_provider, primary_model = excluded.primary_model, is_loop = excluded.is_loop,
    trace_ids = excluded.trace_ids, cached_input_tokens = excluded.cached_input_tokens, cache_write_tokens = excluded.cache_write_tokens`;

// The fields of $2… in order; text columns are quoted in their array literals, the others (numbers, exact decimal
// strings, booleans) are not.
type TaskColumn = keyof SettledTask | "start" | "end" | "traceIdsLiteral";
const TEXT_COLUMNS = new Set<TaskColumn>(["taskKey", "feature", "taskType", "customerId", "outcome", "start", "end", "primaryProvider", "primaryModel", "traceIdsLiteral"]);
const TASK_COLUMNS: TaskColumn[] = [
  "taskKey", "feature", "taskType", "customerId", "outcome", "start", "end", "calls", "failedCalls", "retryCalls",
  "unpricedCalls", "inputTokens", "outputTokens", "costUsd", "retryCostUsd", "failedCostUsd", "primaryProvider",
  "primaryModel", "isLoop", "traceIdsLiteral", "cachedInputTokens", "cacheWriteTokens",
];

/** The parameters $2… of INSERT_TASKS: one array literal per column (pg-array.ts), rows in task-key order. */
function taskArrays(tasks: SettledTask[]): string[] {
  const sorted = [...tasks].sort((a, b) => (a.taskKey < b.taskKey ? -1 : a.taskKey > b.taskKey ? 1 : 0)); // one lock order
  // Each task's trace ids travel as the text of a text[] (cast per row), not as JSON to unpack with a subquery per row.
  const rows = sorted.map((t) => ({ ...t, start: new Date(t.startMs).toISOString(), end: new Date(t.endMs).toISOString(), traceIdsLiteral: textArray(t.traceIds) }));
  return TASK_COLUMNS.map((column) => {
    const values = rows.map((r) => r[column] as string | number | boolean | null);
    return TEXT_COLUMNS.has(column) ? textArray(values as (string | null)[]) : scalarArray(values);
  });
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
