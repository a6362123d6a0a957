import { describe, expect, it } from "vitest";
import { callCostUsd } from "../../../../../server/domain/pricing/call-cost.ts";
import { CATALOG_VERSION, lookupCatalog, rateToDecimal } from "../../../../../server/services/pricing/genai-catalog.ts";

describe("catalog from @pydantic/genai-prices", () => {
  it("resolves dated names and OTel provider names to catalog rates (exact decimals)", () => {
    expect(lookupCatalog("openai", "gpt-4o-mini-2024-07-18", new Date("2026-10-01"))).toMatchObject({ modelId: "gpt-4o-mini", rates: { input: "0.15", cacheRead: "0.075", output: "0.6" } });
    expect(lookupCatalog("gcp.gemini", "models/gemini-2.5-pro", new Date("2026-10-01"))).toMatchObject({ providerId: "google", modelId: "gemini-2.5-pro" });
    expect(lookupCatalog("acme-ai", "mystery", new Date())).toBeNull();
    expect(rateToDecimal(0.08333333333333334)).toBe("0.0833333333");
    expect(CATALOG_VERSION).toBe("@pydantic/genai-prices@0.1.8");
  });

  it("time-of-day prices: DeepSeek's off-peak window (16:30–00:30 UTC) prices the same call lower", () => {
    const usage = { inputTokens: 1_000_000, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1_000_000 };
    const peak = lookupCatalog("deepseek", "deepseek-chat", new Date("2026-10-01T10:00:00Z"))!;
    const offPeak = lookupCatalog("deepseek", "deepseek-chat", new Date("2026-10-01T20:00:00Z"))!;
    expect(callCostUsd(usage, offPeak.rates).lt(callCostUsd(usage, peak.rates))).toBe(true);
  });
});
