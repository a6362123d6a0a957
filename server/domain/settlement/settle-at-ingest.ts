import type { NormalizedSpan } from "../ingest/types.ts";
import { settleTraces, type SettledTask, type SettleSpan, type SpanResolution } from "./settle-traces.ts";

/** A span of an ingest batch: its org (from the ingest key), the normalized span and its price at ingest. */
export type IngestSpan = { orgId: string; span: NormalizedSpan; costUsd: string | null };

/** Traces of one org that a batch holds whole, settled together (they share explicit task ids). */
export type IngestSettlementGroup = {
  orgId: string;
  traceIds: string[];
  /** Explicit inferledger.task.id values on the group's spans: another trace holding one joins the task. */
  taskIds: string[];
  /** Indexes into the batch of the group's spans, per trace id. */
  rowsByTrace: Map<string, number[]>;
  tasks: SettledTask[];
};

export type IngestSettlementPlan = {
  /** Per batch row: its resolution when its group is settled at ingest, else null (settled later from storage). */
  resolutions: (SpanResolution | null)[];
  groups: IngestSettlementGroup[];
};

/** The settler's view of a span as it will be stored: the same fields `loadSpans` reads back (settle-dirty-traces.ts). */
export function toSettleSpan(span: NormalizedSpan, costUsd: string | null): SettleSpan {
  const a = span.attribution;
  const llm = span.llm;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    // Stored at microsecond precision, read back as epoch ms with a fraction: the same number either way.
    startMs: Number(span.startTimeUnixNano / 1000n) / 1000,
    endMs: Number(span.endTimeUnixNano / 1000n) / 1000,
    status: span.status,
    serviceName: span.serviceName,
    feature: a.feature,
    taskType: a.taskType,
    taskId: a.taskId,
    taskOutcome: a.taskOutcome,
    customerId: a.customerId,
    retryAttempt: a.retryAttempt,
    isLlmCall: llm !== null,
    operation: llm?.operation ?? null,
    provider: llm?.provider ?? null,
    model: llm?.model ?? null,
    inputTokens: llm?.inputTokens ?? 0,
    cacheReadTokens: llm?.cacheReadTokens ?? 0,
    cacheWriteTokens: llm?.cacheWriteTokens ?? 0,
    outputTokens: llm?.outputTokens ?? 0,
    costUsd,
    gpuCostUsd: null, // a GPU cost share is only known once the pool hour is rolled up (which re-marks the trace)
  };
}

/**
 * Finds the traces a batch holds whole and settles them in memory, so the common case — a trace exported in one
 * batch — needs no second pass over stored spans. A group qualifies only if, as far as this batch can tell, nothing
 * else belongs to it: every span's parent is in the batch (or it is a root), no span id repeats, and every trace that
 * shares one of its task ids is in the batch and qualifies too. Groups without a model call make no task and are left
 * to the settler (nothing at ingest could claim them). What the batch cannot see — spans already stored, or stored
 * concurrently — the caller checks in the database before it keeps a group (settle-at-ingest service).
 */
export function planIngestSettlement(rows: IngestSpan[], options: { loopCallThreshold: number }): IngestSettlementPlan {
  // Per org (a batch is mostly one org's): trace and task ids then key the maps as they are, without a composite key
  // string built and hashed per span.
  const rowsByOrg = new Map<string, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const list = rowsByOrg.get(rows[i]!.orgId);
    if (list) list.push(i);
    else rowsByOrg.set(rows[i]!.orgId, [i]);
  }
  const resolutions: (SpanResolution | null)[] = new Array(rows.length).fill(null);
  const groups: IngestSettlementGroup[] = [];
  for (const [orgId, orgRows] of rowsByOrg) groups.push(...planOrg(rows, orgId, orgRows, resolutions, options));
  return { resolutions, groups };
}

/** planIngestSettlement for one org's rows (`orgRows`: their indexes in the batch); fills `resolutions` for its groups. */
function planOrg(
  rows: IngestSpan[],
  orgId: string,
  orgRows: number[],
  resolutions: (SpanResolution | null)[],
  options: { loopCallThreshold: number },
): IngestSettlementGroup[] {
  type TraceRows = { traceId: string; rows: number[]; whole: boolean };
  const traces = new Map<string, TraceRows>();
  for (const i of orgRows) {
    const traceId = rows[i]!.span.traceId;
    let trace = traces.get(traceId);
    if (!trace) traces.set(traceId, (trace = { traceId, rows: [], whole: true }));
    trace.rows.push(i);
  }
  for (const trace of traces.values()) {
    const spanIds = new Set<string>();
    for (const i of trace.rows) spanIds.add(rows[i]!.span.spanId);
    if (spanIds.size !== trace.rows.length) trace.whole = false;
    for (const i of trace.rows) {
      const parent = rows[i]!.span.parentSpanId;
      if (parent !== null && !spanIds.has(parent)) trace.whole = false;
    }
  }

  // Traces sharing an explicit task id form one task: union them.
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  for (const k of traces.keys()) parent.set(k, k);
  const traceOfTask = new Map<string, string>();
  for (const [traceId, trace] of traces) {
    for (const i of trace.rows) {
      const taskId = rows[i]!.span.attribution.taskId;
      if (!taskId) continue;
      const other = traceOfTask.get(taskId);
      if (other === undefined) traceOfTask.set(taskId, traceId);
      else parent.set(find(traceId), find(other));
    }
  }
  const members = new Map<string, TraceRows[]>();
  for (const [traceId, trace] of traces) {
    const root = find(traceId);
    const list = members.get(root);
    if (list) list.push(trace);
    else members.set(root, [trace]);
  }

  const groups: IngestSettlementGroup[] = [];
  for (const groupTraces of members.values()) {
    if (!groupTraces.every((t) => t.whole)) continue;
    const indexes = groupTraces.flatMap((t) => t.rows);
    const settled = settleTraces(indexes.map((i) => toSettleSpan(rows[i]!.span, rows[i]!.costUsd)), options);
    if (settled.tasks.length === 0) continue;
    // settleTraces returns one resolution per input span, in input order.
    for (let j = 0; j < indexes.length; j++) resolutions[indexes[j]!] = settled.spans[j]!;
    const taskIds = new Set<string>();
    for (const i of indexes) if (rows[i]!.span.attribution.taskId) taskIds.add(rows[i]!.span.attribution.taskId!);
    groups.push({
      orgId,
      traceIds: groupTraces.map((t) => t.traceId),
      taskIds: [...taskIds],
      rowsByTrace: new Map(groupTraces.map((t) => [t.traceId, t.rows])),
      tasks: settled.tasks,
    });
  }
  // A task key is a task id or a trace id; should one group's task id equal another group's trace id, the two would
  // claim one task row: leave both to the settler.
  const keyCount = new Map<string, number>();
  for (const g of groups) for (const t of g.tasks) keyCount.set(t.taskKey, (keyCount.get(t.taskKey) ?? 0) + 1);
  const kept: IngestSettlementGroup[] = [];
  for (const g of groups) {
    if (g.tasks.every((t) => keyCount.get(t.taskKey) === 1)) kept.push(g);
    else for (const indexes of g.rowsByTrace.values()) for (const i of indexes) resolutions[i] = null;
  }
  return kept;
}
