import { describe, expect, it } from "vitest";
import { findOverride, resolvePrice, type PriceOverride } from "../../../../server/domain/pricing/override-rule.ts";

const DAY = 86_400_000;
const o = (x: Partial<PriceOverride>): PriceOverride => ({ id: "o1", provider: "openai", model: "gpt-4o-mini", rates: null, discountPercent: "10", validFromMs: 0, validToMs: null, ...x });
const catalog = { providerId: "openai", modelId: "gpt-4o-mini", rates: { input: "0.15", cacheRead: "0.075", cacheWrite: null, output: "0.6" } };

describe("the one override rule (ingest, repricing, price book, what-if)", () => {
  it("matches either side's names as given or in catalog form", () => {
    // The call reports the OTel provider name and a prefixed, revisioned model; the override uses catalog ids.
    expect(findOverride([o({ provider: "google", model: "gemini-2.5-pro" })], { providers: ["gcp.gemini"], models: ["models/gemini-2.5-pro-001"] }, DAY)?.id).toBe("o1");
    // …and the other way round.
    expect(findOverride([o({ provider: "gcp.gemini", model: "models/gemini-2.5-pro-001" })], { providers: ["google"], models: ["gemini-2.5-pro"] }, DAY)?.id).toBe("o1");
    // A dated response model is matched through the call's request model.
    expect(findOverride([o({})], { providers: ["openai"], models: ["gpt-4o-mini-2024-07-18", "gpt-4o-mini"] }, DAY)?.id).toBe("o1");
    expect(findOverride([o({})], { providers: ["openai"], models: ["gpt-4o-mini-2024-07-18", null] }, DAY)).toBeNull();
    expect(findOverride([o({})], { providers: ["anthropic"], models: ["gpt-4o-mini"] }, DAY)).toBeNull();
    expect(findOverride([], { providers: ["openai"], models: ["gpt-4o-mini"] }, DAY)).toBeNull();
  });

  it("in force at the time: validFrom inclusive, validTo exclusive, the latest start wins", () => {
    const list = [o({ id: "a", validFromMs: 1 * DAY, validToMs: 10 * DAY }), o({ id: "b", validFromMs: 3 * DAY, validToMs: 5 * DAY })];
    const at = (ms: number) => findOverride(list, { providers: ["openai"], models: ["gpt-4o-mini"] }, ms)?.id ?? null;
    expect([at(0), at(1 * DAY), at(3 * DAY), at(5 * DAY), at(10 * DAY)]).toEqual([null, "a", "b", "a", null]);
  });

  it("resolves contract, discount and catalog prices; a discount without a catalog price is unpriced, not $0", () => {
    const contract = { input: "0.1", cacheRead: null, cacheWrite: null, output: "0.4" };
    expect(resolvePrice(o({ id: "c", rates: contract, discountPercent: null }), null, "v1")).toEqual({ kind: "contract", rates: contract, priceRef: "override:c", override: expect.objectContaining({ id: "c" }) });
    expect(resolvePrice(o({}), catalog, "v1")).toMatchObject({ kind: "discount", priceRef: "override:o1(-10% of openai/gpt-4o-mini)", rates: { input: "0.135", cacheRead: "0.0675", output: "0.54" } });
    expect(resolvePrice(o({}), null, "v1")).toBeNull();
    expect(resolvePrice(null, catalog, "v1")).toMatchObject({ kind: "catalog", priceRef: "v1:openai/gpt-4o-mini", override: null });
    expect(resolvePrice(null, null, "v1")).toBeNull();
  });
});
