import { Memo3 } from "../cache/memo3.ts";
import type { LlmUsage } from "../ingest/types.ts";
import { callCostUsd, type CallRates } from "./call-cost.ts";
import { latestInForce, overridesNaming, resolvePrice, type CatalogRates, type PriceOverride } from "./override-rule.ts";
import { scaleRates, scaledCallCostUsd, type ScaledRates } from "./scaled-rates.ts";

export type PricedCall = { costUsd: string; priceRef: string };

export type CallPricerSources = {
  /** The org's overrides; a reload must hand out a new array (name matches are cached per array). */
  overridesOf: (orgId: string) => readonly PriceOverride[] | undefined;
  /** Catalog rates in force at `startMs`, the same object while the price is the same (prepared rates are cached per object). */
  catalogAt: (provider: string | null, model: string, startMs: number) => CatalogRates | null;
  catalogVersion: string;
};

type PreparedPrice = { priceRef: string; rates: CallRates; scaled: ScaledRates | null };

const NONE = Object.freeze({}); // WeakMap key standing for "no override" / "no catalog price"
const MAX_NAMES_PER_ORG = 10_000;

/**
 * Prices calls at ingest by the override rule (override-rule.ts) and exact cost (call-cost.ts), with the per-call
 * work reduced to map lookups and integer arithmetic: which overrides name a call is cached per (provider, model,
 * request model), the resolved price and its scaled rates per (override, catalog price). Results are identical to
 * findOverride → resolvePrice → callCostUsd(…).toFixed(12); null = unpriced (never $0).
 */
export function createCallPricer(sources: CallPricerSources): (orgId: string, llm: LlmUsage, startMs: number) => PricedCall | null {
  const namesByList = new WeakMap<readonly PriceOverride[], Memo3<string | null, string, string | null, PriceOverride[]>>();
  const prepared = new WeakMap<object, WeakMap<object, PreparedPrice | null>>();

  const overrideFor = (orgId: string, llm: LlmUsage, model: string, startMs: number): PriceOverride | null => {
    const list = sources.overridesOf(orgId);
    if (!list?.length) return null;
    let names = namesByList.get(list);
    if (!names) namesByList.set(list, (names = new Memo3(MAX_NAMES_PER_ORG)));
    let candidates = names.get(llm.provider, model, llm.requestModel);
    if (candidates === undefined) {
      candidates = overridesNaming(list, { providers: [llm.provider], models: [model, llm.requestModel] });
      names.set(llm.provider, model, llm.requestModel, candidates);
    }
    return candidates.length ? latestInForce(candidates, startMs) : null;
  };

  const prepare = (override: PriceOverride | null, catalog: CatalogRates | null): PreparedPrice | null => {
    let byCatalog = prepared.get(override ?? NONE);
    if (!byCatalog) prepared.set(override ?? NONE, (byCatalog = new WeakMap()));
    let price = byCatalog.get(catalog ?? NONE);
    if (price === undefined) {
      const resolved = resolvePrice(override, catalog, sources.catalogVersion);
      price = resolved ? { priceRef: resolved.priceRef, rates: resolved.rates, scaled: scaleRates(resolved.rates) } : null;
      byCatalog.set(catalog ?? NONE, price);
    }
    return price;
  };

  return (orgId, llm, startMs) => {
    const model = llm.model ?? llm.requestModel;
    if (!model) return null;
    const override = overrideFor(orgId, llm, model, startMs);
    const catalog = sources.catalogAt(llm.provider, model, startMs)
      ?? (llm.requestModel && llm.requestModel !== model ? sources.catalogAt(llm.provider, llm.requestModel, startMs) : null);
    const price = prepare(override, catalog);
    if (!price) return null;
    const costUsd = price.scaled ? scaledCallCostUsd(llm, price.scaled) : callCostUsd(llm, price.rates).toFixed(12);
    return { costUsd, priceRef: price.priceRef };
  };
}
