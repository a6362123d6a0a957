import { describe, expect, it } from "vitest";
import { ScenarioListSchema } from "../../../../../server/domain/whatif/schema.ts";
import type { Scenario } from "../../../../../server/domain/whatif/types.ts";

const all: Scenario[] = [
  { kind: "self-host", match: { features: ["chat"] }, gpuId: "h100-sxm", model: "llama-3.1-70b", gpusPerReplica: 2, precision: "fp8", usdPerGpuHour: "2.49", replicas: "auto", slo: { tpotMs: 50 }, monthlyOpsUsd: "5000", overflow: "api", baselinePercentile: 80 },
  { kind: "quantization", precision: "int4", slo: { tpotMs: 30 } },
  { kind: "cascade", match: { providers: ["openai"] }, share: 0.6, target: { provider: "openai", model: "gpt-4o-mini" }, escalationRate: 0.1 },
  { kind: "cache", match: {}, semanticHitRate: 0.1, promptCacheHitRate: 0.5 },
  { kind: "trim-input", match: { features: ["f"] }, reductionPct: 30 },
  { kind: "reprice", match: { providers: ["anthropic"] }, targetProvider: "groq", modelMap: { "claude-sonnet": "llama-3.3-70b" }, changePct: -10 },
];

describe("scenario list schema", () => {
  it("accepts every scenario kind unchanged", () => {
    expect(ScenarioListSchema.parse(all)).toEqual(all);
  });

  it("rejects unknown kinds, unknown keys, out-of-range shares and malformed money", () => {
    for (const bad of [
      [{ kind: "teleport" }],
      [{ kind: "cache", match: {}, semanticHitRate: 1.5 }],
      [{ kind: "trim-input", match: {}, reductionPct: 10, extra: true }],
      [{ kind: "trim-input", match: { feature: ["typo"] }, reductionPct: 10 }],
      [{ ...all[0], usdPerGpuHour: "-1" }],
      [{ ...all[0], usdPerGpuHour: 2.49 }],
      [{ ...all[0], precision: "fp12" }],
      [{ ...all[0], replicas: 1.5 }],
    ]) expect(ScenarioListSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe("traffic columns (the wire format of whatif.traffic)", () => {
  it("round-trips rows exactly, each group key once", async () => {
    const { decodeTrafficColumns, encodeTrafficColumns } = await import("../../../../../server/domain/whatif/traffic-columns.ts");
    const T0 = Date.UTC(2026, 0, 1);
    const row = (h: number, feature: string, provider: string | null, isSelfHosted = false) => ({ hourStartMs: T0 + h * 3_600_000, feature, provider, model: provider ? "m" : null, calls: h + 1, inputTokens: 10, cachedInputTokens: 2, cacheWriteTokens: 1, outputTokens: 5, costUsd: `0.00${h}1`, tasks: 1, successfulTasks: 1, isSelfHosted });
    const rows = [row(0, "a", "openai"), row(1, "a", "openai"), row(1, "", null), row(2, "a", "openai", true), row(3, "b", "openai")];
    const c = encodeTrafficColumns(rows, T0);
    expect(c.groups).toHaveLength(4);
    expect(c.hour).toEqual([0, 1, 1, 2, 3]);
    expect(decodeTrafficColumns(c)).toEqual(rows);
  });
});
