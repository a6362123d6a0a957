import { describe, expect, it } from "vitest";
import { FEATURE_TASKS_CSV_HEADER, featureTasksCsv, featureTasksCsvFilename, trimDecimal, type FeatureTaskCsvRow } from "../../../../server/domain/costs/feature-tasks-csv.ts";

const task = (o: Partial<FeatureTaskCsvRow>): FeatureTaskCsvRow => ({
  taskKey: "t1", taskType: "triage", customerId: null, outcome: "success", calls: 2, retryCalls: 0, failedCalls: 0, unpricedCalls: 0,
  inputTokens: 1500, cachedInputTokens: 500, cacheWriteTokens: 0, outputTokens: 30, costUsd: "0.100123456789", startTime: new Date("2026-11-30T10:00:00Z"), ...o,
});

describe("feature tasks CSV", () => {
  it("trims padding zeros but keeps every significant digit", () => {
    expect(trimDecimal("0.001200000000")).toBe("0.0012");
    expect(trimDecimal("2.000000000000")).toBe("2");
    expect(trimDecimal("0.000000000000")).toBe("0");
    expect(trimDecimal("12")).toBe("12");
    expect(trimDecimal("123456789012.000000000001")).toBe("123456789012.000000000001");
    expect(() => trimDecimal("1e-5")).toThrow();
  });

  it("writes one row per task: exact cost, 'unpriced' (not 0) when any call is unpriced, UTC start", () => {
    const csv = featureTasksCsv([task({}), task({ taskKey: "t2", unpricedCalls: 1, costUsd: "0.000000000000", customerId: "acme, inc" })]);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(FEATURE_TASKS_CSV_HEADER.join(","));
    expect(lines[1]).toBe("t1,triage,,success,2,0,0,0,1500,500,0,30,0.100123456789,2026-11-30T10:00:00.000Z");
    expect(lines[2]).toBe('t2,triage,"acme, inc",success,2,0,0,1,1500,500,0,30,unpriced,2026-11-30T10:00:00.000Z');
    expect(lines[3]).toBe("");
  });

  it("defuses a task id that a spreadsheet would run as a formula", () => {
    expect(featureTasksCsv([task({ taskKey: "=HYPERLINK(\"x\")" })]).split("\r\n")[1]).toMatch(/^"'=HYPERLINK\(""x""\)",/);
  });

  it("names the file after the feature, period and end date, safely", () => {
    const to = new Date("2026-12-01T22:00:00Z");
    expect(featureTasksCsvFilename({ feature: "code-review", period: "30d", to })).toBe("feature-code-review-30d-2026-12-01.csv");
    expect(featureTasksCsvFilename({ feature: "../Support Bot/", period: "7d", to })).toBe("feature-..-support-bot-7d-2026-12-01.csv");
    expect(featureTasksCsvFilename({ feature: "///", period: "7d", to })).toBe("feature-feature-7d-2026-12-01.csv");
  });
});
