import { catalogProviderId, discounted, normalizeModelName, type CallRates } from "./call-cost.ts";

/** An org override as stored: contract rates (input and output given) or a discount on the catalog, effective-dated. */
export type PriceOverride = {
  id: string;
  provider: string; // OTel provider name or catalog provider id
  model: string;
  rates: CallRates | null;
  discountPercent: string | null;
  validFromMs: number;
  validToMs: number | null; // null: open-ended
};

/** Catalog rates for a model, with the ids the catalog knows it by. */
export type CatalogRates = { providerId: string; modelId: string; rates: CallRates };

export type ResolvedPrice = { kind: "contract" | "discount" | "catalog"; rates: CallRates; priceRef: string; override: PriceOverride | null };

const providerForms = (p: string | null) => (p ? [p, catalogProviderId(p)] : []);
const modelForms = (m: string | null) => (m ? [m, normalizeModelName(m)] : []);

/**
 * The one rule for which org override prices a call (ingest, repricing, the price book, what-if): an override
 * applies when its provider and model name the call's — compared as given and in catalog form (OTel provider name →
 * catalog id; `models/` prefix and `-001` revision dropped), either side — and it is in force at `atMs`; the
 * latest-starting one wins.
 */
export function findOverride(overrides: readonly PriceOverride[] | undefined, names: CallNames, atMs: number): PriceOverride | null {
  if (!overrides?.length) return null;
  return latestInForce(overridesNaming(overrides, names), atMs);
}

export type CallNames = { providers: (string | null)[]; models: (string | null)[] };

/** The name half of the rule, in list order: depends only on the call's names, so callers may cache it per name. */
export function overridesNaming(overrides: readonly PriceOverride[], names: CallNames): PriceOverride[] {
  const providers = new Set(names.providers.flatMap(providerForms));
  const models = new Set(names.models.flatMap(modelForms));
  return overrides.filter((o) => providerForms(o.provider).some((p) => providers.has(p)) && modelForms(o.model).some((m) => models.has(m)));
}

/** The time half of the rule: of the overrides in force at `atMs`, the latest-starting (the first on a tie). */
export function latestInForce(overrides: readonly PriceOverride[], atMs: number): PriceOverride | null {
  let best: PriceOverride | null = null;
  for (const o of overrides) {
    if (atMs < o.validFromMs || (o.validToMs !== null && atMs >= o.validToMs)) continue;
    if (!best || o.validFromMs > best.validFromMs) best = o;
  }
  return best;
}

/**
 * Rates to bill with: a contract override's rates; else a discount on the catalog's (none without a catalog price);
 * else the catalog's. Null = unpriced (never $0). `priceRef` records which price was used on each call.
 */
export function resolvePrice(override: PriceOverride | null, catalog: CatalogRates | null, catalogVersion: string): ResolvedPrice | null {
  if (override?.rates) return { kind: "contract", rates: override.rates, priceRef: `override:${override.id}`, override };
  if (override?.discountPercent && catalog) {
    return { kind: "discount", rates: discounted(catalog.rates, override.discountPercent), priceRef: `override:${override.id}(-${override.discountPercent}% of ${catalog.providerId}/${catalog.modelId})`, override };
  }
  if (catalog) return { kind: "catalog", rates: catalog.rates, priceRef: `${catalogVersion}:${catalog.providerId}/${catalog.modelId}`, override: null };
  return null;
}

/** A stored override row (decimal columns as strings) in the rule's shape. */
export function overrideFromRow(r: { id: string; provider: string; model: string; input: string | null; cachedInput: string | null; cacheWrite: string | null; output: string | null; discountPercent: string | null; validFrom: Date; validTo: Date | null }): PriceOverride {
  return {
    id: r.id, provider: r.provider, model: r.model,
    rates: r.input && r.output ? { input: r.input, output: r.output, cacheRead: r.cachedInput, cacheWrite: r.cacheWrite } : null,
    discountPercent: r.discountPercent, validFromMs: r.validFrom.getTime(), validToMs: r.validTo ? r.validTo.getTime() : null,
  };
}
