import { describe, expect, it } from "vitest";
import { ingestRollupDeltas, type DeltaSpan } from "../../../../../server/domain/costs/ingest-rollup-deltas.ts";
import { parsePlainPicoUsd, picoNumberToString, picoUsdToString, toPicoUsd } from "../../../../../server/domain/costs/pico-usd.ts";
import type { SettledTask, SpanResolution } from "../../../../../server/domain/settlement/settle-traces.ts";
import { span } from "../../../../fixtures/spans.ts";

const H = Date.UTC(2026, 11, 4, 10); // 10:00Z
const TRACE = "ab".repeat(16);

function resolution(over: Partial<SpanResolution> = {}): SpanResolution {
  return { traceId: TRACE, spanId: "0".repeat(16), feature: null, taskKey: `t:${TRACE}`, taskType: null, customerId: null, isRetry: false, isRetryWaste: false, ...over };
}

function task(over: Partial<SettledTask> = {}): SettledTask {
  return {
    taskKey: `t:${TRACE}`, feature: "support", taskType: "ticket", customerId: "c1", outcome: "success", startMs: H + 5, endMs: H + 900,
    calls: 1, failedCalls: 0, retryCalls: 0, unpricedCalls: 0, inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0,
    costUsd: "0", retryCostUsd: "0", failedCostUsd: "0", primaryProvider: "openai", primaryModel: "gpt-4o-mini", isLoop: false, traceIds: [TRACE],
    ...over,
  };
}

describe("ingestRollupDeltas: the facts of cost-facts.ts, summed in memory", () => {
  it("sums calls per hour and dimensions, exactly, with failed, retry and waste costs counted as the SQL facts do", () => {
    const spans: DeltaSpan[] = [
      // Resolved dimensions win over the span's own.
      { span: span({ traceId: TRACE, startMs: H + 10, attribution: { feature: "own", promptSystemTokens: 40 }, llm: { inputTokens: 100, cacheReadTokens: 20, outputTokens: 7, reasoningTokens: 2 } }),
        costUsd: "0.000100000001", resolution: resolution({ feature: "support", taskType: "ticket", customerId: "c1" }) },
      // A failed attempt that was retried: failed, retry waste, but waste once.
      { span: span({ traceId: TRACE, startMs: H + 20, status: "error", llm: { inputTokens: 50, cacheWriteTokens: 5 } }),
        costUsd: "0.000000000009", resolution: resolution({ feature: "support", taskType: "ticket", customerId: "c1", isRetryWaste: true }) },
      { span: span({ traceId: TRACE, startMs: H + 30, llm: { inputTokens: 1 } }),
        costUsd: "1.500000000000", resolution: resolution({ feature: "support", taskType: "ticket", customerId: "c1", isRetry: true }) },
      // Not a model call: no fact row.
      { span: span({ traceId: TRACE, startMs: H }), costUsd: null, resolution: resolution({ feature: "support" }) },
    ];
    const [row, ...rest] = ingestRollupDeltas(spans, [task()])!;
    expect(rest).toEqual([]);
    expect(row).toEqual({
      hourMs: H, feature: "support", taskType: "ticket", provider: "openai", model: "gpt-4o-mini", customerId: "c1",
      calls: 3, failedCalls: 1, retryCalls: 1, unpricedCalls: 0, inputTokens: 151, cachedInputTokens: 20, cacheWriteTokens: 5,
      outputTokens: 7, reasoningTokens: 2, apiCostPico: 1_500_100_000_010, retryCostPico: 9, failedCostPico: 9, wasteCostPico: 9,
      tasks: 1, successfulTasks: 1, loopTasks: 0, systemPromptTokens: 40,
    });
    expect(picoNumberToString(row!.apiCostPico)).toBe("1.500100000010");
  });

  it("falls back like coalesce(resolved, own, service_name, ''), keeps unpriced calls apart from $0, and splits hours in UTC", () => {
    const spans: DeltaSpan[] = [
      { span: span({ traceId: TRACE, startMs: H + 3_599_999, serviceName: "svc", attribution: { taskType: "own-type", customerId: "own-c" }, llm: { provider: null, model: null } }),
        costUsd: null, resolution: resolution() },
      { span: span({ traceId: TRACE, startMs: H + 3_600_000, serviceName: "svc", llm: {} }), costUsd: "0.000000000000", resolution: resolution({ feature: "f" }) },
    ];
    const rows = ingestRollupDeltas(spans, [task({ startMs: H + 3_600_000, feature: null, taskType: null, customerId: null, primaryProvider: null, primaryModel: null, outcome: "failure", isLoop: true })])!;
    expect(rows.map((r) => [r.hourMs, r.feature, r.taskType, r.provider, r.model, r.customerId, r.calls, r.unpricedCalls, r.apiCostPico, r.tasks, r.successfulTasks, r.loopTasks])).toEqual([
      [H, "svc", "own-type", "", "", "own-c", 1, 1, 0, 0, 0, 0],
      [H + 3_600_000, "f", "", "openai", "gpt-4o-mini", "", 1, 0, 0, 0, 0, 0],
      [H + 3_600_000, "", "", "", "", "", 0, 0, 0, 1, 0, 1],
    ]);
  });

  it("gives up (null: summed in the database instead) on an amount outside the plain form or a sum Numbers cannot hold exactly", () => {
    const call = (costUsd: string | null, inputTokens = 1): DeltaSpan => ({ span: span({ traceId: TRACE, startMs: H, llm: { inputTokens } }), costUsd, resolution: resolution() });
    expect(ingestRollupDeltas([call("999.999999999999")], [])).toHaveLength(1);
    expect(ingestRollupDeltas([call("1000.000000000000")], [])).toBeNull(); // $1,000 and more: not in the fast form
    expect(ingestRollupDeltas([call("0.5")], [])).toBeNull();
    const big = 1e12; // the most tokens a span may report (normalize)
    const many = Array.from({ length: 9_008 }, () => call(null, big)); // 9.008e15 > 2^53 tokens in one row
    expect(ingestRollupDeltas(many.slice(0, 9_000), [])![0]!.inputTokens).toBe(9_000 * big);
    expect(ingestRollupDeltas(many, [])).toBeNull();
  });

  it("reads decimal strings exactly and rounds past 12 places half away from zero, as numeric(24,12) stores them", () => {
    expect(toPicoUsd("0.000000000001")).toBe(1n);
    expect(toPicoUsd("12")).toBe(12_000_000_000_000n);
    expect(toPicoUsd(".5")).toBe(500_000_000_000n);
    expect(toPicoUsd("0.0000000000014")).toBe(1n);
    expect(toPicoUsd("0.0000000000015")).toBe(2n);
    expect(picoUsdToString(0n)).toBe("0.000000000000");
    expect(picoUsdToString(123_456_789_012_345_678n)).toBe("123456.789012345678");
    expect(toPicoUsd("-0.0000000000015")).toBe(-2n);
    expect(picoUsdToString(-1_500_000_000_000n)).toBe("-1.500000000000");
    expect(parsePlainPicoUsd("12.000000000001")).toBe(12_000_000_000_001);
    expect(parsePlainPicoUsd("-1.000000000000")).toBeNull();
    expect(() => picoNumberToString(2 ** 53)).toThrow(RangeError);
    for (const bad of ["", ".", "1e-3", "--1", "1.2.3", " 1"]) expect(() => toPicoUsd(bad)).toThrow(/not a decimal amount/);
  });
});
