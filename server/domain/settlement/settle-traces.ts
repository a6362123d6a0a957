import { parsePlainPicoUsd, picoUsdToString, toPicoUsd } from "../costs/pico-usd.ts";

/** A stored span as the settler sees it (own attributes only; ancestors are resolved here). */
export type SettleSpan = {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  startMs: number;
  endMs: number;
  status: "unset" | "ok" | "error";
  serviceName: string | null;
  feature: string | null;
  taskType: string | null;
  taskId: string | null;
  taskOutcome: string | null;
  customerId: string | null;
  retryAttempt: number | null;
  isLlmCall: boolean;
  operation: string | null;
  provider: string | null;
  model: string | null;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  costUsd: string | null; // API price at ingest; null = unpriced (or self-hosted)
  gpuCostUsd: string | null; // busy GPU cost share, once known
};

export type SpanResolution = {
  traceId: string;
  spanId: string;
  feature: string | null;
  taskKey: string;
  taskType: string | null;
  customerId: string | null;
  isRetry: boolean;
  isRetryWaste: boolean;
};

export type SettledTask = {
  taskKey: string;
  feature: string | null;
  taskType: string | null;
  customerId: string | null;
  outcome: "success" | "failure";
  startMs: number;
  endMs: number;
  calls: number;
  failedCalls: number;
  retryCalls: number;
  unpricedCalls: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  costUsd: string;
  retryCostUsd: string;
  failedCostUsd: string;
  primaryProvider: string | null;
  primaryModel: string | null;
  isLoop: boolean;
  traceIds: string[];
};

type Key = "feature" | "taskType" | "taskId" | "customerId" | "taskOutcome";

/** A call's cost in 10^-12 USD (exact: every stored cost has 12 decimals). */
const callCostPico = (s: SettleSpan): bigint => (s.costUsd === null ? 0n : picoOf(s.costUsd)) + (s.gpuCostUsd === null ? 0n : picoOf(s.gpuCostUsd));
const picoOf = (usd: string): bigint => {
  const plain = parsePlainPicoUsd(usd); // the common form, without building a BigInt from a string
  return plain === null ? toPicoUsd(usd) : BigInt(plain);
};

/**
 * Resolves attribution (span → ancestors in its trace; feature falls back to service.name only when no span up
 * the chain names one), groups spans into tasks (explicit inferledger.task.id, else the trace), and applies the
 * retry rules:
 * - a call is a retry if retry attempt > 0, or if it is the next call under the same parent with the same
 *   operation and model after a sibling call that ended in error (each failed call explains one retry);
 * - the attempt a retry replaces is retry waste (it did not produce the final result).
 * A task with more calls than loopCallThreshold is flagged as an agent loop. Span groups without any model call
 * (plain HTTP traces, health checks) are not tasks: they would dilute cost per task and IPD.
 */
export function settleTraces(spans: SettleSpan[], options: { loopCallThreshold: number }): { spans: SpanResolution[]; tasks: SettledTask[] } {
  const byId = new Map<string, SettleSpan>();
  for (const s of spans) byId.set(`${s.traceId}:${s.spanId}`, s);
  // Each span's parent in the set, looked up once (resolve walks up to four keys per span).
  const parentOf = new Map<SettleSpan, SettleSpan>();
  for (const s of spans) {
    const parent = s.parentSpanId ? byId.get(`${s.traceId}:${s.parentSpanId}`) : undefined;
    if (parent) parentOf.set(s, parent);
  }

  const resolve = (s: SettleSpan, key: Key): string | null => {
    let current: SettleSpan | undefined = s;
    for (let depth = 0; current && depth < 256; depth++) {
      const value = current[key];
      // A feature equal to the span's own service name is the normalizer's fallback, weaker than an ancestor's.
      if (value !== null && !(key === "feature" && value === current.serviceName)) return value;
      current = parentOf.get(current);
    }
    return key === "feature" ? (s.feature ?? s.serviceName) : null;
  };

  const resolutions = new Map<SettleSpan, SpanResolution>();
  for (const s of spans) {
    resolutions.set(s, {
      traceId: s.traceId,
      spanId: s.spanId,
      feature: resolve(s, "feature"),
      taskKey: resolve(s, "taskId") ?? s.traceId,
      taskType: resolve(s, "taskType"),
      customerId: resolve(s, "customerId"),
      isRetry: false,
      isRetryWaste: false,
    });
  }
  markRetries(spans, resolutions);

  // Members in one order whatever order the spans came in (a batch at ingest, or read back from storage), so the
  // task's first root, the latest explicit outcome and the primary model break ties the same way on both paths.
  const ordered = [...spans].sort((a, b) => a.startMs - b.startMs || cmp(a.traceId, b.traceId) || cmp(a.spanId, b.spanId));
  const groups = new Map<string, SettleSpan[]>();
  for (const s of ordered) {
    const key = resolutions.get(s)!.taskKey;
    const members = groups.get(key);
    if (members) members.push(s);
    else groups.set(key, [s]);
  }
  const tasks: SettledTask[] = [];
  for (const [taskKey, members] of groups) {
    if (members.some((s) => s.isLlmCall)) tasks.push(buildTask(taskKey, members, resolutions, parentOf, options.loopCallThreshold));
  }
  return { spans: [...resolutions.values()], tasks };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function markRetries(spans: SettleSpan[], resolutions: Map<SettleSpan, SpanResolution>): void {
  const siblings = new Map<string, SettleSpan[]>();
  for (const s of spans) {
    if (!s.isLlmCall) continue;
    const key = `${s.traceId}:${s.parentSpanId ?? ""}`;
    const list = siblings.get(key);
    if (list) list.push(s);
    else siblings.set(key, [s]);
  }
  for (const calls of siblings.values()) {
    calls.sort((a, b) => a.startMs - b.startMs || cmp(a.spanId, b.spanId)); // ids are lowercase hex: same order as localeCompare, without ICU
    const unexplainedFailures: SettleSpan[] = [];
    const lastAttempt = new Map<string, SettleSpan>(); // operation|model → latest call not yet replaced
    for (const call of calls) {
      const kind = `${call.operation ?? ""}|${call.model ?? ""}`;
      const failureIndex = unexplainedFailures.findIndex((f) => `${f.operation ?? ""}|${f.model ?? ""}` === kind);
      const byAttribute = (call.retryAttempt ?? 0) > 0;
      const bySibling = failureIndex >= 0;
      if (byAttribute || bySibling) {
        resolutions.get(call)!.isRetry = true;
        if (bySibling) unexplainedFailures.splice(failureIndex, 1);
        const replaced = lastAttempt.get(kind);
        if (replaced) resolutions.get(replaced)!.isRetryWaste = true;
      }
      if (call.status === "error") unexplainedFailures.push(call);
      lastAttempt.set(kind, call);
    }
  }
}

function buildTask(
  taskKey: string,
  members: SettleSpan[],
  resolutions: Map<SettleSpan, SpanResolution>,
  parentOf: Map<SettleSpan, SettleSpan>,
  loopCallThreshold: number,
): SettledTask {
  const calls = members.filter((s) => s.isLlmCall);
  const roots = members.filter((s) => !parentOf.has(s));
  const explicit = [...members].sort((a, b) => a.endMs - b.endMs).reverse().find((s) => s.taskOutcome === "success" || s.taskOutcome === "failure");
  const outcome: "success" | "failure" = explicit
    ? (explicit.taskOutcome as "success" | "failure")
    : roots.some((r) => r.status === "error")
      ? "failure"
      : "success";
  const first = roots[0] ?? members[0]!;
  const firstRes = resolutions.get(first)!;
  let cost = 0n;
  let retryCost = 0n;
  let failedCost = 0n;
  let primary: SettleSpan | null = null;
  let primaryWeight = -1n;
  let failedCalls = 0;
  let retryCalls = 0;
  let unpricedCalls = 0;
  let inputTokens = 0;
  let cachedInputTokens = 0;
  let cacheWriteTokens = 0;
  let outputTokens = 0;
  let firstCallFeature: string | null = null;
  for (const c of calls) {
    const res = resolutions.get(c)!;
    const cc = callCostPico(c);
    cost += cc;
    if (res.isRetryWaste) retryCost += cc;
    if (c.status === "error") {
      failedCost += cc;
      failedCalls++;
    }
    if (res.isRetry) retryCalls++;
    if (c.costUsd === null && c.gpuCostUsd === null) unpricedCalls++;
    inputTokens += c.inputTokens;
    cachedInputTokens += c.cacheReadTokens;
    cacheWriteTokens += c.cacheWriteTokens;
    outputTokens += c.outputTokens;
    if (firstCallFeature === null && res.feature) firstCallFeature = res.feature;
    // The primary model is the costliest call's; an unpriced call weighs its tokens as 10^-12 USD each.
    const weight = cc > 0n ? cc : BigInt(c.inputTokens + c.outputTokens);
    if (weight > primaryWeight) {
      primary = c;
      primaryWeight = weight;
    }
  }
  // Loops, not Math.min(...spread): an agent loop's task can have more members than a call takes arguments.
  let startMs = Infinity;
  let endMs = -Infinity;
  const traceIds = new Set<string>();
  for (const m of members) {
    if (m.startMs < startMs) startMs = m.startMs;
    if (m.endMs > endMs) endMs = m.endMs;
    traceIds.add(m.traceId);
  }
  return {
    taskKey,
    feature: firstRes.feature ?? firstCallFeature, // the first root's, else the first call's that has one
    taskType: firstRes.taskType,
    customerId: firstRes.customerId,
    outcome,
    startMs,
    endMs,
    calls: calls.length,
    failedCalls,
    retryCalls,
    unpricedCalls,
    inputTokens,
    cachedInputTokens,
    cacheWriteTokens,
    outputTokens,
    costUsd: picoUsdToString(cost),
    retryCostUsd: picoUsdToString(retryCost),
    failedCostUsd: picoUsdToString(failedCost),
    primaryProvider: primary?.provider ?? null,
    primaryModel: primary?.model ?? null,
    isLoop: calls.length > loopCallThreshold,
    traceIds: [...traceIds],
  };
}
