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
