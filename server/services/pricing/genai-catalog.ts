import { calcPrice, waitForUpdate, type ModelPrice, type Provider } from "@pydantic/genai-prices";
import Decimal from "decimal.js";
import { catalogProviderId, normalizeModelName, type CallRates, type Rate } from "../../domain/pricing/call-cost.ts";

/** The price catalog is pinned by pinning the package: its version is recorded with every catalog price row. */
export const CATALOG_VERSION = "@pydantic/genai-prices@0.1.8";

/**
 * USD per 1M tokens as an exact decimal string. The upstream data has a few float artefacts
 * (0.08333333333333334); rounding to 10 places (our column scale) recovers the intended decimal.
 */
export function rateToDecimal(value: number): string {
  return new Decimal(String(value)).toDecimalPlaces(10).toString();
}

function toRate(value: ModelPrice[string]): Rate | null {
  if (value === undefined) return null;
  if (typeof value === "number") return rateToDecimal(value);
  return { base: rateToDecimal(value.base), tiers: value.tiers.map((t) => ({ startInputTokens: t.start, usdPerMTok: rateToDecimal(t.price) })) };
}

/** Catalog prices → our rates. Cache writes use the 5-minute rate (the default TTL); null when the model has no input/output price. */
export function modelPriceToRates(price: ModelPrice): CallRates | null {
  const input = toRate(price.input_mtok);
  const output = toRate(price.output_mtok);
  if (!input || !output) return null;
  return { input, output, cacheRead: toRate(price.cache_read_mtok), cacheWrite: toRate(price.cache_write_mtok) };
}

export type CatalogMatch = { providerId: string; modelId: string; rates: CallRates };

/** Catalog rates in force at `at` for a provider + model name (the library's own model matching and date rules). */
export function lookupCatalog(otelProvider: string | null, model: string, at: Date): CatalogMatch | null {
  const providerId = catalogProviderId(otelProvider);
  if (!providerId) return null;
  let result: ReturnType<typeof calcPrice> = null;
  try {
    result = calcPrice({ input_tokens: 1, output_tokens: 1 }, normalizeModelName(model), { providerId, timestamp: at });
  } catch {
    return null;
  }
  if (!result) return null;
  const rates = modelPriceToRates(result.model_price);
  return rates ? { providerId: result.provider.id, modelId: result.model.id, rates } : null;
}

export type CatalogRow = { provider: string; model: string; rates: CallRates; validFrom: Date; details: Record<string, unknown> };

/** Every model's current and dated prices, as rows for the price book (read-only copies of the library data). */
export async function catalogRows(): Promise<CatalogRow[]> {
  const providers: Provider[] = (await waitForUpdate()) ?? [];
  const rows: CatalogRow[] = [];
  for (const p of providers) {
    for (const m of p.models) {
      const variants = Array.isArray(m.prices) ? m.prices : [{ prices: m.prices }];
      for (const v of variants) {
        const rates = modelPriceToRates(v.prices);
        if (!rates) continue;
        const constraint = "constraint" in v ? v.constraint : undefined;
        if (constraint?.type === "time_of_date") continue; // off-peak windows are applied per call at ingest, not listed
        rows.push({
          provider: p.id,
          model: m.id,
          rates,
          validFrom: constraint?.type === "start_date" ? new Date(constraint.start_date) : new Date(0),
          details: { name: m.name ?? m.id, contextWindow: m.context_window ?? null, deprecated: m.deprecated ?? false },
        });
      }
    }
  }
  return rows;
}
