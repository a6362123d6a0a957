import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callCostUsd, discounted, type CallRates, type CallTokens, type Rate } from "../../../../server/domain/pricing/call-cost.ts";
import { scaleRates, scaledCallCostUsd } from "../../../../server/domain/pricing/scaled-rates.ts";

// Thousands of generated cases: generous when the suite shares the machine with other work.
const PROPERTY_TIMEOUT_MS = 60_000;

const reference = (tokens: CallTokens, rates: CallRates) => callCostUsd(tokens, rates).toFixed(12);
const scaled = (tokens: CallTokens, rates: CallRates) => {
  const s = scaleRates(rates);
  expect(s).not.toBeNull();
  return scaledCallCostUsd(tokens, s!);
};

// USD per 1M tokens as the catalog and the price_rows columns (numeric(20,10)) give them.
const decimalText = fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 10 }), fc.bigInt({ min: 0n, max: 9_999_999_999n }))
  .map(([whole, places, frac]) => (places === 0 ? String(whole) : `${whole}.${frac.toString().padStart(10, "0").slice(0, places)}`));
const rate: fc.Arbitrary<Rate> = fc.oneof(
  decimalText,
  fc.record({ base: decimalText, tiers: fc.array(fc.record({ startInputTokens: fc.constantFrom(0, 128_000, 200_000, 200_000, 1_000_000), usdPerMTok: decimalText }), { maxLength: 3 }) }),
);
const rates: fc.Arbitrary<CallRates> = fc.record({ input: rate, cacheRead: fc.option(rate), cacheWrite: fc.option(rate), output: rate });
const count = fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 1e12 }), fc.constant(-0));
const tokens: fc.Arbitrary<CallTokens> = fc.record({ inputTokens: count, cacheReadTokens: count, cacheWriteTokens: count, outputTokens: count });

describe("exact per-call cost on scaled integer rates", () => {
  it("equals decimal.js's toFixed(12) on random rates, tiers and token counts (cached > input included)", () => {
    fc.assert(fc.property(rates, tokens, (r, t) => { expect(scaled(t, r)).toBe(reference(t, r)); }), { numRuns: 20_000 });
  }, PROPERTY_TIMEOUT_MS);

  it("equals decimal.js on discounted rates (many decimal places, rounded by decimal.js to 20 digits)", () => {
    const percent = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 9999 })).map(([w, f]) => (w === 100 ? "100" : `${w}.${String(f).padStart(4, "0")}`));
    fc.assert(fc.property(rates, percent, tokens, (r, p, t) => {
      const d = discounted(r, p);
      expect(scaled(t, d)).toBe(reference(t, d));
    }), { numRuns: 5_000 });
  }, PROPERTY_TIMEOUT_MS);

  it("covers the cases that matter by hand", () => {
    const mini = { input: "0.15", cacheRead: "0.075", cacheWrite: null, output: "0.6" };
    const t = (inputTokens: number, cacheReadTokens: number, cacheWriteTokens: number, outputTokens: number) => ({ inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens });
    expect(scaled(t(1000, 0, 0, 200), mini)).toBe("0.000270000000");
    expect(scaled(t(1000, 400, 100, 200), mini)).toBe(reference(t(1000, 400, 100, 200), mini));
    expect(scaled(t(0, 0, 0, 0), mini)).toBe("0.000000000000");
    expect(scaled(t(-0, -0, -0, -0), mini)).toBe(reference(t(-0, -0, -0, -0), mini));
    // Rounding half up at the 12th place: 1 token at 0.0000005 $/MTok = 5e-13 $.
    const tiny = { input: "0.0000005", cacheRead: null, cacheWrite: null, output: "0.0000015" };
    for (const n of [1, 2, 3, 999_999]) expect(scaled(t(n, 0, 0, n), tiny)).toBe(reference(t(n, 0, 0, n), tiny));
    // Exponent notation (decimal.js prints small rates so) and a float-artefact catalog rate.
    const exp = { input: "1e-7", cacheRead: "2.5e-8", cacheWrite: "1.25E+1", output: "0.0833333333" };
    for (const n of [1, 7, 123_456_789, 1e12]) expect(scaled(t(n, 3, 2, n), exp)).toBe(reference(t(n, 3, 2, n), exp));
    // Tiers: the whole request is repriced above 200k input tokens (strictly greater), unsorted tiers sorted.
    const tiered: CallRates = { input: { base: "1.25", tiers: [{ startInputTokens: 200_000, usdPerMTok: "2.5" }, { startInputTokens: 100_000, usdPerMTok: "2" }] }, cacheRead: null, cacheWrite: null, output: "10" };
    for (const n of [100_000, 100_001, 200_000, 200_001]) expect(scaled(t(n, n / 2, 0, 10), tiered)).toBe(reference(t(n, n / 2, 0, 10), tiered));
  });

  it("large token counts: bigint beyond 2^53 and decimal.js's own rounding beyond 20 digits", () => {
    // 1e6 tokens at 1.2e13 units: ~1.2e19 units (bigint, below 10^20); 1e9 and up: beyond 10^20 (decimal.js path).
    const r = { input: "1234.5678901234", cacheRead: "0.0000000001", cacheWrite: "999.9999999999", output: "75.5" };
    for (const n of [1e6, 5e6, 1e9, 1e12, Number.MAX_SAFE_INTEGER, 2 ** 60]) {
      const t = { inputTokens: n, cacheReadTokens: 1, cacheWriteTokens: 3, outputTokens: n };
      expect(scaled(t, r)).toBe(reference(t, r));
    }
  });

  it("token counts that are not whole numbers keep the decimal.js path", () => {
    const r = { input: "0.15", cacheRead: null, cacheWrite: null, output: "0.6" };
    for (const t of [{ inputTokens: 1.5, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 2 }, { inputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: -3 }]) {
      expect(scaled(t, r)).toBe(reference(t, r));
    }
  });

  it("leaves rates it cannot read exactly like decimal.js to decimal.js", () => {
    for (const odd of [" 1", "-1", "NaN", "Infinity", "0x10", "1_0", ".5", ""]) {
      expect(scaleRates({ input: odd, cacheRead: null, cacheWrite: null, output: "1" })).toBeNull();
    }
    expect(scaleRates({ input: "5.", cacheRead: null, cacheWrite: null, output: "007.50" })).not.toBeNull();
  });
});
