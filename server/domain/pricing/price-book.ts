import Decimal from "decimal.js";
import { catalogProviderId, discounted, normalizeModelName, type CallRates, type Rate } from "./call-cost.ts";

/** An org override as stored: contract rates (input and output given) or a discount on the catalog. */
export type PriceOverride = {
  id: string;
  provider: string; // OTel provider name or catalog provider id
  model: string;
  rates: CallRates | null;
  discountPercent: string | null;
  validFromMs: number;
  validToMs: number | null;
};

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
 * The org's price for a catalog model at `atMs`, when one of its overrides applies: the override naming the
 * provider (by OTel name or catalog id) and the model (or its dated/prefixed form) in force at that time, the
 * latest-starting one winning — the same rule as pricing at ingest. Contract rates replace the catalog's (a cache
 * rate left out bills as input); a discount scales every catalog rate. Null when no override applies.
 */
export function effectivePrice(catalog: { provider: string; model: string; rates: CallRates }, overrides: readonly PriceOverride[], atMs: number): EffectivePrice | null {
  let best: PriceOverride | null = null;
  for (const o of overrides) {
    const providerMatches = o.provider === catalog.provider || catalogProviderId(o.provider) === catalog.provider;
    const modelMatches = o.model === catalog.model || normalizeModelName(o.model) === catalog.model;
    if (!providerMatches || !modelMatches) continue;
    if (atMs < o.validFromMs || (o.validToMs !== null && atMs >= o.validToMs)) continue;
    if (!best || o.validFromMs > best.validFromMs) best = o;
  }
  if (!best) return null;
  if (best.rates) return { overrideId: best.id, kind: "contract", discountPercent: null, rates: best.rates };
  if (best.discountPercent) return { overrideId: best.id, kind: "discount", discountPercent: best.discountPercent, rates: discounted(catalog.rates, best.discountPercent) };
  return null;
}
