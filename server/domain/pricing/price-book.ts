import Decimal from "decimal.js";
import type { CallRates, Rate } from "./call-cost.ts";
import { findOverride, resolvePrice, type PriceOverride } from "./override-rule.ts";

export type { PriceOverride };

export type EffectivePrice = { overrideId: string; kind: "contract" | "discount"; discountPercent: string | null; rates: CallRates };

/** A rate as shown in the price book: base USD per 1M tokens and the long-context tiers, as decimal strings. */
export type RateView = { usdPerMTok: string; tiers: { aboveInputTokens: number; usdPerMTok: string }[] };

export function rateView(rate: Rate | null): RateView | null {
  if (rate === null) return null;
  const fixed = (v: string) => new Decimal(v).toString();
  if (typeof rate === "string") return { usdPerMTok: fixed(rate), tiers: [] };
  return {
    usdPerMTok: fixed(rate.base),
    tiers: [...rate.tiers].sort((a, b) => a.startInputTokens - b.startInputTokens).map((t) => ({ aboveInputTokens: t.startInputTokens, usdPerMTok: fixed(t.usdPerMTok) })),
  };
}

/**
 * The org's price for a catalog model at `atMs` when one of its overrides applies — by the same rule as pricing at
 * ingest (override-rule.ts). Contract rates replace the catalog's (a cache rate left out bills as input); a discount
 * scales every catalog rate. Null when no override applies.
 */
export function effectivePrice(catalog: { provider: string; model: string; rates: CallRates }, overrides: readonly PriceOverride[], atMs: number): EffectivePrice | null {
  const override = findOverride(overrides, { providers: [catalog.provider], models: [catalog.model] }, atMs);
  const resolved = override ? resolvePrice(override, { providerId: catalog.provider, modelId: catalog.model, rates: catalog.rates }, "catalog") : null;
  if (!override || !resolved || resolved.kind === "catalog") return null;
  return { overrideId: override.id, kind: resolved.kind, discountPercent: resolved.kind === "discount" ? override.discountPercent : null, rates: resolved.rates };
}
