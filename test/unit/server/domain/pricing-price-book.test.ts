import { describe, expect, it } from "vitest";
import { effectivePrice, rateView, type PriceOverride } from "../../../../server/domain/pricing/price-book.ts";

const DAY = 86_400_000;
const catalog = {
  provider: "google", model: "gemini-2.5-pro",
  rates: { input: { base: "1.25", tiers: [{ startInputTokens: 200000, usdPerMTok: "2.5" }] }, cacheRead: "0.31", cacheWrite: null, output: { base: "10", tiers: [{ startInputTokens: 200000, usdPerMTok: "15" }] } },
};
const override = (o: Partial<PriceOverride>): PriceOverride => ({ id: "o1", provider: "gcp.gemini", model: "gemini-2.5-pro", rates: null, discountPercent: null, validFromMs: 10 * DAY, validToMs: null, ...o });

describe("price book", () => {
  it("shows rates per 1M tokens with their long-context tiers", () => {
    expect(rateView(catalog.rates.input)).toEqual({ usdPerMTok: "1.25", tiers: [{ aboveInputTokens: 200000, usdPerMTok: "2.5" }] });
    expect(rateView("0.0750")).toEqual({ usdPerMTok: "0.075", tiers: [] });
    expect(rateView(null)).toBeNull();
  });

  it("applies a discount to every rate and tier, exactly (20% off 1.25 / 2.5 / 0.31 / 10 / 15)", () => {
    const p = effectivePrice(catalog, [override({ discountPercent: "20" })], 11 * DAY);
    expect(p).toEqual({
      overrideId: "o1", kind: "discount", discountPercent: "20",
      rates: { input: { base: "1", tiers: [{ startInputTokens: 200000, usdPerMTok: "2" }] }, cacheRead: "0.248", cacheWrite: null, output: { base: "8", tiers: [{ startInputTokens: 200000, usdPerMTok: "12" }] } },
    });
  });

  it("uses the contract price in force at the time, the latest-starting one winning; none before or after", () => {
    const contract = { input: "1", cacheRead: null, cacheWrite: null, output: "7" };
    const list = [
      override({ id: "old", rates: contract, validFromMs: 5 * DAY, validToMs: 20 * DAY }),
      override({ id: "new", discountPercent: "10", validFromMs: 12 * DAY, validToMs: 15 * DAY }),
    ];
    expect(effectivePrice(catalog, list, 11 * DAY)?.overrideId).toBe("old");
    expect(effectivePrice(catalog, list, 13 * DAY)?.overrideId).toBe("new");
    expect(effectivePrice(catalog, list, 16 * DAY)).toMatchObject({ overrideId: "old", kind: "contract", rates: contract });
    expect(effectivePrice(catalog, list, 20 * DAY)).toBeNull(); // validTo is exclusive
    expect(effectivePrice(catalog, list, 4 * DAY)).toBeNull();
  });

  it("matches the provider by OTel name or catalog id, and dated model names, but not other models", () => {
    expect(effectivePrice(catalog, [override({ provider: "google", discountPercent: "5" })], 11 * DAY)).not.toBeNull();
    expect(effectivePrice(catalog, [override({ model: "models/gemini-2.5-pro-001", discountPercent: "5" })], 11 * DAY)).not.toBeNull();
    expect(effectivePrice(catalog, [override({ model: "gemini-2.5-flash", discountPercent: "5" })], 11 * DAY)).toBeNull();
    expect(effectivePrice(catalog, [override({ provider: "openai", discountPercent: "5" })], 11 * DAY)).toBeNull();
  });
});
