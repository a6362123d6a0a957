import { describe, expect, it } from "vitest";
import { planIngestSettlement, toSettleSpan, type IngestSpan } from "../../../../../server/domain/settlement/settle-at-ingest.ts";
import { settleTraces } from "../../../../../server/domain/settlement/settle-traces.ts";
import { span } from "../../../../fixtures/spans.ts";

const T0 = Date.UTC(2026, 11, 1, 10);
const usage = { inputTokens: 1000, outputTokens: 100 };
const row = (orgId: string, s: ReturnType<typeof span>, costUsd: string | null = "0.000210000000"): IngestSpan => ({ orgId, span: s, costUsd });
const plan = (rows: IngestSpan[]) => planIngestSettlement(rows, { loopCallThreshold: 3 });

/** A trace exported whole: a root carrying the task context and two calls under it. */
function wholeTrace(orgId: string, traceId: string, taskId: string | null = null): IngestSpan[] {
  return [
    row(orgId, span({ traceId, spanId: `${traceId}-root`, startMs: T0, durationMs: 5000, attribution: { feature: "support", taskId, customerId: "acme" } }), null),
    row(orgId, span({ traceId, spanId: `${traceId}-c1`, parentSpanId: `${traceId}-root`, startMs: T0 + 10, status: "error", llm: usage })),
    row(orgId, span({ traceId, spanId: `${traceId}-c2`, parentSpanId: `${traceId}-root`, startMs: T0 + 2000, llm: usage })),
  ];
}

describe("planIngestSettlement", () => {
  it("settles a trace the batch holds whole exactly as the settler would from storage", () => {
    const rows = wholeTrace("org-a", "t1");
    const { resolutions, groups } = plan(rows);
    const fromStorage = settleTraces(rows.map((r) => toSettleSpan(r.span, r.costUsd)), { loopCallThreshold: 3 });
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ orgId: "org-a", traceIds: ["t1"], taskIds: [] });
    expect(groups[0]!.tasks).toEqual(fromStorage.tasks);
    expect(resolutions).toEqual(fromStorage.spans);
    expect(groups[0]!.tasks[0]).toMatchObject({ taskKey: "t1", feature: "support", customerId: "acme", calls: 2, retryCalls: 1, costUsd: "0.000420000000" });
    expect(resolutions[1]).toMatchObject({ isRetryWaste: true, feature: "support" });
  });

  it("leaves a trace whose parent span is missing to the settler (the parent may come in a later batch)", () => {
    const rows = wholeTrace("org-a", "t1").slice(1); // calls without their root
    const { resolutions, groups } = plan(rows);
    expect(groups).toEqual([]);
    expect(resolutions).toEqual([null, null]);
  });

  it("leaves a trace with a repeated span id to the settler", () => {
    const rows = wholeTrace("org-a", "t1");
    const { groups } = plan([...rows, rows[2]!]);
    expect(groups).toEqual([]);
  });

  it("leaves traces without model calls to the settler: they make no task to claim", () => {
    const { groups, resolutions } = plan([row("org-a", span({ traceId: "t1", startMs: T0 }), null)]);
    expect(groups).toEqual([]);
    expect(resolutions).toEqual([null]);
  });

  it("settles traces that share a task id together, and only if every one of them is whole", () => {
    const both = plan([...wholeTrace("org-a", "t1", "job-7"), ...wholeTrace("org-a", "t2", "job-7")]);
    expect(both.groups).toHaveLength(1);
    expect(both.groups[0]).toMatchObject({ traceIds: ["t1", "t2"], taskIds: ["job-7"] });
    expect(both.groups[0]!.tasks).toHaveLength(1);
    expect(both.groups[0]!.tasks[0]).toMatchObject({ taskKey: "job-7", calls: 4, traceIds: ["t1", "t2"] });

    const partial = plan([...wholeTrace("org-a", "t1", "job-7"), ...wholeTrace("org-a", "t2", "job-7").slice(0, 2).concat(
      row("org-a", span({ traceId: "t2", spanId: "orphan", parentSpanId: "not-here", startMs: T0, llm: usage })),
    )]);
    expect(partial.groups).toEqual([]);
    expect(partial.resolutions.every((r) => r === null)).toBe(true);
  });

  it("keeps orgs apart: the same trace and task ids in two orgs are two groups", () => {
    const { groups } = plan([...wholeTrace("org-a", "t1", "job-7"), ...wholeTrace("org-b", "t1", "job-7")]);
    expect(groups.map((g) => [g.orgId, g.traceIds])).toEqual([["org-a", ["t1"]], ["org-b", ["t1"]]]);
  });

  it("leaves both groups to the settler when one's task id is another's trace id (they would claim one task row)", () => {
    const { groups, resolutions } = plan([...wholeTrace("org-a", "t1", "t2"), ...wholeTrace("org-a", "t2")]);
    expect(groups).toEqual([]);
    expect(resolutions.every((r) => r === null)).toBe(true);
  });

  it("reads stored times back as the settler does: microseconds, as epoch ms with a fraction", () => {
    const s = span({ traceId: "t1", startMs: T0 });
    s.startTimeUnixNano += 123_456n; // 0.123456 ms → stored as 123 µs
    expect(toSettleSpan(s, null).startMs).toBe(T0 + 0.123);
  });
});
