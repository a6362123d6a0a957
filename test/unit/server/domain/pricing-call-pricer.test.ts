import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LlmUsage } from "../../../../server/domain/ingest/types.ts";
import { callCostUsd, type CallRates } from "../../../../server/domain/pricing/call-cost.ts";
import { createCallPricer } from "../../../../server/domain/pricing/call-pricer.ts";
import { findOverride, resolvePrice, type CatalogRates, type PriceOverride } from "../../../../server/domain/pricing/override-rule.ts";

// Thousands of generated cases: generous when the suite shares the machine with other work.
const PROPERTY_TIMEOUT_MS = 60_000;

const DAY = 86_400_000;
const CATALOG: Record<string, CatalogRates> = {
  "openai|gpt-4o-mini": { providerId: "openai", modelId: "gpt-4o-mini", rates: { input: "0.15", cacheRead: "0.075", cacheWrite: null, output: "0.6" } },
  "gcp.gemini|gemini-2.5-pro": { providerId: "google", modelId: "gemini-2.5-pro", rates: { input: { base: "1.25", tiers: [{ startInputTokens: 200_000, usdPerMTok: "2.5" }] }, cacheRead: "0.31", cacheWrite: null, output: "10" } },
  "anthropic|claude-haiku-4-5": { providerId: "anthropic", modelId: "claude-haiku-4-5", rates: { input: "1", cacheRead: "0.1", cacheWrite: "1.25", output: "5" } },
};
// Like the service's memo: the same object for the same price.
const catalogAt = (provider: string | null, model: string): CatalogRates | null => CATALOG[`${provider}|${model}`] ?? null;

/** What db-pricer did per call before the caches: the rule and decimal.js, each call from scratch. */
function referencePrice(overrides: Map<string, PriceOverride[]>, orgId: string, llm: LlmUsage, startMs: number) {
  const model = llm.model ?? llm.requestModel;
  if (!model) return null;
  const override = findOverride(overrides.get(orgId), { providers: [llm.provider], models: [model, llm.requestModel] }, startMs);
  const base = catalogAt(llm.provider, model) ?? (llm.requestModel && llm.requestModel !== model ? catalogAt(llm.provider, llm.requestModel) : null);
  const resolved = resolvePrice(override, base, "v1");
  if (!resolved) return null;
  return { costUsd: callCostUsd(llm, resolved.rates).toFixed(12), priceRef: resolved.priceRef };
}

const providers = ["openai", "gcp.gemini", "google", "anthropic", "acme-ai", null] as const;
const models = ["gpt-4o-mini", "gpt-4o-mini-2024-07-18", "models/gemini-2.5-pro-001", "gemini-2.5-pro", "claude-haiku-4-5", "mystery", null] as const;
const contract: fc.Arbitrary<CallRates> = fc.record({
  input: fc.constantFrom("0.1", "3", "0.0000001"), cacheRead: fc.constantFrom(null, "0.05"), cacheWrite: fc.constantFrom(null, "0.2"), output: fc.constantFrom("0.4", "12.5"),
});
const override = fc.record({
  id: fc.constantFrom("a", "b", "c"),
  provider: fc.constantFrom("openai", "google", "gcp.gemini", "anthropic", "acme-ai"),
  model: fc.constantFrom("gpt-4o-mini", "gemini-2.5-pro", "models/gemini-2.5-pro-001", "claude-haiku-4-5", "mystery"),
  rates: fc.option(contract),
  discountPercent: fc.constantFrom(null, "10", "12.5", "33.3333"),
  validFromMs: fc.integer({ min: 0, max: 5 }).map((d) => d * DAY),
  validToMs: fc.option(fc.integer({ min: 3, max: 9 }).map((d) => d * DAY)),
});
const call = fc.record({
  orgId: fc.constantFrom("org1", "org2"),
  provider: fc.constantFrom(...providers),
  model: fc.constantFrom(...models),
  requestModel: fc.constantFrom(...models),
  startMs: fc.integer({ min: 0, max: 10 * DAY }),
  inputTokens: fc.integer({ min: 0, max: 400_000 }),
  cacheReadTokens: fc.integer({ min: 0, max: 50_000 }),
  outputTokens: fc.integer({ min: 0, max: 20_000 }),
});
type CallShape = { provider: string | null; model: string | null; requestModel: string | null; inputTokens: number; cacheReadTokens: number; outputTokens: number };
const usage = (c: CallShape): LlmUsage => ({
  provider: c.provider, requestModel: c.requestModel, responseModel: c.model, model: c.model ?? c.requestModel, operation: "chat",
  inputTokens: c.inputTokens, cacheReadTokens: c.cacheReadTokens, cacheWriteTokens: 0, outputTokens: c.outputTokens, reasoningTokens: 0,
  isStreaming: null, ttftMs: null, errorType: null, serverAddress: null,
});

describe("the ingest call pricer (cached rule + exact integer cost)", () => {
  it("prices every call exactly as the rule and decimal.js do, across override reloads", () => {
    fc.assert(fc.property(fc.array(override, { maxLength: 6 }), fc.array(override, { maxLength: 6 }), fc.array(call, { minLength: 1, maxLength: 40 }), (org1, org2, calls) => {
      let overrides = new Map<string, PriceOverride[]>([["org1", org1]]);
      const price = createCallPricer({ overridesOf: (orgId) => overrides.get(orgId), catalogAt, catalogVersion: "v1" });
      calls.forEach((c, i) => {
        if (i === calls.length >> 1) overrides = new Map([["org1", [...org1]], ["org2", org2]]); // a reload: new arrays
        const llm = usage(c);
        expect(price(c.orgId, llm, c.startMs)).toEqual(referencePrice(overrides, c.orgId, llm, c.startMs));
      });
    }), { numRuns: 3_000 });
  }, PROPERTY_TIMEOUT_MS);

  it("unknown prices are unpriced (null), never $0; a discount without a catalog price is unpriced too", () => {
    const discount: PriceOverride = { id: "d", provider: "acme-ai", model: "mystery", rates: null, discountPercent: "10", validFromMs: 0, validToMs: null };
    const price = createCallPricer({ overridesOf: () => [discount], catalogAt, catalogVersion: "v1" });
    const llm = usage({ provider: "acme-ai", model: "mystery", requestModel: null, inputTokens: 10, cacheReadTokens: 0, outputTokens: 10 });
    expect(price("org1", llm, DAY)).toBeNull();
    expect(price("org1", { ...llm, model: null, requestModel: null }, DAY)).toBeNull();
    expect(price("org1", { ...llm, provider: "openai", model: "gpt-4o-mini" }, DAY)).toEqual({ costUsd: "0.000007500000", priceRef: "v1:openai/gpt-4o-mini" });
  });
});
