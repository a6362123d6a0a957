import { describe, expect, it } from "vitest";
import { settleTraces, type SettleSpan } from "../../../../../server/domain/settlement/settle-traces.ts";

const base: SettleSpan = {
  traceId: "t1", spanId: "root", parentSpanId: null, startMs: 0, endMs: 100, status: "unset", serviceName: "svc",
  feature: null, taskType: null, taskId: null, taskOutcome: null, customerId: null, retryAttempt: null, isLlmCall: false,
  operation: null, provider: null, model: null, inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, costUsd: null, gpuCostUsd: null,
};
const call = (o: Partial<SettleSpan>): SettleSpan => ({ ...base, isLlmCall: true, parentSpanId: "root", operation: "chat", provider: "openai", model: "gpt-4o-mini", costUsd: "0.001", inputTokens: 100, outputTokens: 10, ...o });
const settle = (spans: SettleSpan[]) => settleTraces(spans, { loopCallThreshold: 3 });

describe("settleTraces", () => {
  it("one trace is one task; calls inherit feature, type and customer from ancestors", () => {
    const { spans, tasks } = settle([
      { ...base, feature: "support-bot", taskType: "ticket", customerId: "acme" },
      call({ spanId: "c1", startMs: 10, feature: "svc" }), // normalizer's service.name fallback is weaker than the ancestor
    ]);
    expect(spans.find((s) => s.spanId === "c1")).toMatchObject({ feature: "support-bot", taskType: "ticket", customerId: "acme", taskKey: "t1" });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ taskKey: "t1", feature: "support-bot", outcome: "success", calls: 1, costUsd: "0.001000000000" });
  });

  it("falls back to service.name when nothing names a feature", () => {
    const { tasks } = settle([{ ...base, serviceName: "checkout" }, call({ spanId: "c1", serviceName: "checkout" })]);
    expect(tasks[0]!.feature).toBe("checkout");
  });

  it("groups spans of several traces by inferledger.task.id", () => {
    const { tasks } = settle([
      { ...base, traceId: "a", taskId: "job-7", feature: "etl" },
      call({ traceId: "a", spanId: "c1", cacheReadTokens: 60, cacheWriteTokens: 5 }),
      { ...base, traceId: "b", taskId: "job-7" },
      call({ traceId: "b", spanId: "c2", costUsd: "0.002", cacheReadTokens: 40 }),
    ]);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ taskKey: "job-7", calls: 2, costUsd: "0.003000000000", traceIds: ["a", "b"], inputTokens: 200, cachedInputTokens: 100, cacheWriteTokens: 5 });
  });

  it("outcome: explicit attribute wins; otherwise failure iff the root span is ERROR", () => {
    expect(settle([{ ...base, status: "error" }, call({ spanId: "c" })]).tasks[0]!.outcome).toBe("failure");
    expect(settle([{ ...base, status: "error", taskOutcome: "success" }, call({ spanId: "c" })]).tasks[0]!.outcome).toBe("success");
    expect(settle([{ ...base }, call({ spanId: "c", status: "error" })]).tasks[0]!.outcome).toBe("success");
  });

  it("retry by the sibling rule: the call after a failed sibling (same op and model) is a retry; the failed one is waste", () => {
    const { spans, tasks } = settle([
      base,
      call({ spanId: "a1", startMs: 1, status: "error", costUsd: "0.0005" }),
      call({ spanId: "a2", startMs: 2 }),
      call({ spanId: "other", startMs: 3, model: "gpt-4.1" }), // different model: not a retry
    ]);
    const by = (id: string) => spans.find((s) => s.spanId === id)!;
    expect([by("a1").isRetry, by("a1").isRetryWaste]).toEqual([false, true]);
    expect([by("a2").isRetry, by("a2").isRetryWaste]).toEqual([true, false]);
    expect(by("other").isRetry).toBe(false);
    expect(tasks[0]).toMatchObject({ retryCalls: 1, failedCalls: 1, retryCostUsd: "0.000500000000", failedCostUsd: "0.000500000000" });
  });

  it("one retry per failed call, and a call meeting both rules is one retry", () => {
    const { tasks, spans } = settle([
      base,
      call({ spanId: "f1", startMs: 1, status: "error" }),
      call({ spanId: "r1", startMs: 2, retryAttempt: 1 }), // both rules
      call({ spanId: "n1", startMs: 3 }), // the failure was already explained: a fresh call
    ]);
    expect(tasks[0]!.retryCalls).toBe(1);
    expect(spans.find((s) => s.spanId === "n1")!.isRetry).toBe(false);
  });

  it("retry by attribute without an error: the replaced attempt is waste", () => {
    const { spans, tasks } = settle([base, call({ spanId: "x1", startMs: 1, costUsd: "0.01" }), call({ spanId: "x2", startMs: 2, retryAttempt: 1 })]);
    expect(spans.find((s) => s.spanId === "x1")!.isRetryWaste).toBe(true);
    expect(tasks[0]!.retryCostUsd).toBe("0.010000000000");
  });

  it("flags agent loops above the call threshold and picks the most expensive model as primary", () => {
    const calls = [1, 2, 3, 4].map((i) => call({ spanId: `c${i}`, startMs: i, model: i === 3 ? "gpt-4.1" : "gpt-4o-mini", costUsd: i === 3 ? "0.05" : "0.001" }));
    const { tasks } = settle([base, ...calls]);
    expect(tasks[0]).toMatchObject({ isLoop: true, calls: 4, primaryModel: "gpt-4.1" });
  });

  it("a trace without any model call is not a task", () => {
    expect(settle([{ ...base, name: "GET /health" } as SettleSpan]).tasks).toEqual([]);
  });

  it("counts unpriced calls without giving them a cost; orphans (missing parents) still settle", () => {
    const { tasks } = settle([call({ spanId: "u", parentSpanId: "gone", costUsd: null, model: "mystery" })]);
    expect(tasks[0]).toMatchObject({ calls: 1, unpricedCalls: 1, costUsd: "0.000000000000" });
  });
});

describe("settleTraces on a runaway agent loop", () => {
  it("settles a task of 200,000 calls (more than a function call takes arguments) with exact sums", () => {
    const n = 200_000;
    const spans: SettleSpan[] = [{ ...base, spanId: "root", parentSpanId: null, startMs: 5, endMs: 6 }];
    for (let i = 0; i < n; i++) spans.push(call({ spanId: `c${i}`, startMs: 10 + i, endMs: 11 + i, costUsd: "0.000000000001" }));
    const { tasks } = settle(spans);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ calls: n, isLoop: true, startMs: 5, endMs: 10 + n, costUsd: "0.000000200000", inputTokens: 100 * n });
  });
});

describe("settleTraces is independent of input order", () => {
  it("gives the same tasks for the same spans in any order (ingest and the settler list them differently)", () => {
    const spans: SettleSpan[] = [
      { ...base, traceId: "b", spanId: "rb", taskId: "job", feature: "checkout", startMs: 5 },
      call({ traceId: "b", spanId: "cb", parentSpanId: "rb", startMs: 6, endMs: 50, taskOutcome: "failure" }),
      { ...base, traceId: "a", spanId: "ra", taskId: "job", feature: "support", startMs: 5 },
      call({ traceId: "a", spanId: "ca", parentSpanId: "ra", startMs: 6, endMs: 50, taskOutcome: "success", model: "gpt-4.1" }),
    ];
    const forward = settleTraces(spans, { loopCallThreshold: 10 }).tasks;
    const backward = settleTraces([...spans].reverse(), { loopCallThreshold: 10 }).tasks;
    expect(backward).toEqual(forward);
    expect(forward[0]).toMatchObject({ taskKey: "job", feature: "support" }); // first root by (start, trace id)
  });
});
