import type pg from "pg";
import type { NormalizedSpan } from "../../domain/ingest/types.ts";
import type { SpanResolution } from "../../domain/settlement/settle-traces.ts";

/** A span ready to store: the normalized span, its org (from the ingest key) and its price at ingest. */
export type SpanRow = { orgId: string; span: NormalizedSpan; costUsd: string | null; priceRef: string | null };

const COLUMNS = [
  ["org_id", "text"], ["trace_id", "text"], ["span_id", "text"], ["parent_span_id", "text"], ["name", "text"],
  ["kind", "int4"], ["start_us", "int8"], ["end_us", "int8"], ["status", "text"], ["status_message", "text"],
  ["service_name", "text"], ["feature", "text"], ["task_type", "text"], ["task_id", "text"], ["task_outcome", "text"],
  ["customer_id", "text"], ["prompt_name", "text"], ["prompt_version", "text"], ["prompt_system_tokens", "int4"],
  ["retry_attempt", "int4"], ["is_llm_call", "bool"], ["provider", "text"], ["request_model", "text"],
  ["response_model", "text"], ["model", "text"], ["operation", "text"], ["input_tokens", "int8"],
  ["cache_read_tokens", "int8"], ["cache_write_tokens", "int8"], ["output_tokens", "int8"], ["reasoning_tokens", "int8"],
  ["is_streaming", "bool"], ["ttft_ms", "float8"], ["error_type", "text"], ["server_address", "text"],
  ["cost_usd", "numeric"], ["price_ref", "text"],
  ["resolved_feature", "text"], ["resolved_task_key", "text"], ["resolved_task_type", "text"], ["resolved_customer_id", "text"],
  ["is_retry", "bool"], ["is_retry_waste", "bool"],
] as const;

/**
 * Each column's target name and how its value is written: times travel as microseconds since the epoch, the retry
 * flags are NOT NULL (false until the trace is settled). Shared by the INSERT below and COPY (copy-spans.ts).
 */
export const SPAN_COLUMNS = COLUMNS.map(([name]) => ({
  target: name === "start_us" ? "start_time" : name === "end_us" ? "end_time" : name,
  isMicros: name === "start_us" || name === "end_us",
  notNullFlag: name === "is_retry" || name === "is_retry_waste",
}));

const targetColumns = SPAN_COLUMNS.map((c) => c.target);
const selectList = COLUMNS.map(([name], i) =>
  SPAN_COLUMNS[i]!.isMicros ? `'epoch'::timestamptz + ${name} * interval '1 microsecond'` : SPAN_COLUMNS[i]!.notNullFlag ? `coalesce(${name}, false)` : name,
);
const unnestArgs = COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`);

/**
 * One statement per batch: INSERT … SELECT FROM unnest(column arrays). The primary key (org, trace, span) makes a
 * span stored once; RETURNING tells which rows were new (their traces are marked for settlement). Only the keys:
 * parsing a returned timestamp per span cost 1.6 % of the collector's CPU (bench/RESULTS.md).
 *
 * Two forms. `dedupe` (ON CONFLICT DO NOTHING) skips spans stored before: re-sent ones are no-ops. `fresh` has no
 * ON CONFLICT clause and fails on the first stored span (unique_violation on spans_pkey, see isSpanKeyConflict):
 * the caller rolls back and retries with `dedupe`. Why both: ON CONFLICT makes PostgreSQL probe the primary key
 * for every row before inserting it and then descend the same btree again to insert, while a plain INSERT checks
 * uniqueness during its one descent — the probe was ~15 % of PostgreSQL's CPU per ingested span (perf, RESULTS.md).
 */
function insertSpansSql(mode: InsertSpansMode): string {
  return `
INSERT INTO spans (${targetColumns.join(", ")})
SELECT ${selectList.join(", ")}
FROM unnest(${unnestArgs.join(", ")}) AS t(${COLUMNS.map(([n]) => n).join(", ")})
${mode === "dedupe" ? "ON CONFLICT (org_id, trace_id, span_id) DO NOTHING" : ""}
RETURNING org_id, trace_id`;
}

export type InsertSpansMode = "fresh" | "dedupe";
export const INSERT_SPANS_SQL = { fresh: insertSpansSql("fresh"), dedupe: insertSpansSql("dedupe") } as const;

/** The error of a `fresh` insert that met a span stored before (or twice in its own batch): retry with `dedupe`. */
export function isSpanKeyConflict(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === "23505" && e.constraint === "spans_pkey";
}

export type InsertedSpanKey = { orgId: string; traceId: string };

/** Nanoseconds → whole microseconds (PostgreSQL's timestamp precision), exactly, via bigint. */
function toMicros(nanos: bigint): string {
  return (nanos / 1000n).toString();
}

/** Row r's values in COLUMNS order; `res`, when given, is its settlement at ingest (null: settled later from storage). */
export function spanValues({ orgId, span: s, costUsd, priceRef }: SpanRow, res: SpanResolution | null): unknown[] {
  const a = s.attribution;
  const llm = s.llm;
  return [
    orgId, s.traceId, s.spanId, s.parentSpanId, s.name, s.kind, toMicros(s.startTimeUnixNano), toMicros(s.endTimeUnixNano),
    s.status, s.statusMessage, s.serviceName, a.feature, a.taskType, a.taskId, a.taskOutcome, a.customerId,
    a.promptName, a.promptVersion, a.promptSystemTokens, a.retryAttempt, llm !== null, llm?.provider ?? null,
    llm?.requestModel ?? null, llm?.responseModel ?? null, llm?.model ?? null, llm?.operation ?? null,
    llm?.inputTokens ?? null, llm?.cacheReadTokens ?? null, llm?.cacheWriteTokens ?? null, llm?.outputTokens ?? null,
    llm?.reasoningTokens ?? null, llm?.isStreaming ?? null, llm?.ttftMs ?? null, llm?.errorType ?? null,
    llm?.serverAddress ?? null, costUsd, priceRef,
    res?.feature ?? null, res?.taskKey ?? null, res?.taskType ?? null, res?.customerId ?? null, res?.isRetry ?? null, res?.isRetryWaste ?? null,
  ];
}

/** `resolutions[i]`, when given, is row i's settlement at ingest (null: settled later from storage). */
export function spanRowsToArrays(rows: SpanRow[], resolutions?: (SpanResolution | null)[]): unknown[][] {
  const arrays: unknown[][] = COLUMNS.map(() => new Array(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const values = spanValues(rows[r]!, resolutions?.[r] ?? null);
    for (let c = 0; c < values.length; c++) arrays[c]![r] = values[c];
  }
  return arrays;
}

export async function insertSpans(
  client: pg.Pool | pg.PoolClient,
  rows: SpanRow[],
  resolutions?: (SpanResolution | null)[],
  /** `fresh` throws on a span stored before (isSpanKeyConflict); only for a caller that retries with `dedupe`. */
  mode: InsertSpansMode = "dedupe",
): Promise<InsertedSpanKey[]> {
  if (rows.length === 0) return [];
  const result = await client.query<{ org_id: string; trace_id: string }>(INSERT_SPANS_SQL[mode], spanRowsToArrays(rows, resolutions));
  return result.rows.map((r) => ({ orgId: r.org_id, traceId: r.trace_id }));
}
