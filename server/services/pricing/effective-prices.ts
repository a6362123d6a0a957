import { catalogProviderId, discounted, normalizeModelName, rateFor, type CallRates } from "../../domain/pricing/call-cost.ts";
import type { ApiPrice } from "../../domain/whatif/types.ts";
import type { OrgContext } from "../org-context.ts";
import { lookupCatalog } from "./genai-catalog.ts";

export type PriceQuery = { provider: string; model: string; avgInputTokensPerCall: number };
export type EffectivePrice = ApiPrice & { source: "override" | "catalog"; priceRef: string };

type OverrideRow = { id: string; provider: string; model: string; i: string | null; cr: string | null; cw: string | null; o: string | null; d: string | null; valid_from: Date };

/**
 * The org's effective API price per provider/model at `at`, as the ingest pricer would apply it: the latest org
 * override in force (contract price, or a discount on the catalog), else the pinned catalog. Tiered rates are
 * flattened at the pair's average input tokens per call (tiers depend on request size). Pairs with no price are
 * left out: the caller treats them as unpriced, never as $0.
 */
export async function effectiveApiPrices({ ctx, queries, at }: { ctx: OrgContext; queries: readonly PriceQuery[]; at: Date }): Promise<EffectivePrice[]> {
  const { rows } = await ctx.db.pool.query<OverrideRow>(
    `SELECT id, provider, model, input_usd_per_mtok::text AS i, cached_input_usd_per_mtok::text AS cr, cache_write_usd_per_mtok::text AS cw,
       output_usd_per_mtok::text AS o, discount_percent::text AS d, valid_from
     FROM price_rows WHERE org_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`,
    [ctx.org.id, at],
  );
  const prices: EffectivePrice[] = [];
  const seen = new Set<string>();
  for (const q of queries) {
    const key = `${q.provider}\u0000${q.model}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const providers = new Set([q.provider, catalogProviderId(q.provider)]);
    const models = new Set([q.model, normalizeModelName(q.model)]);
    const override = rows.filter((r) => providers.has(r.provider) && models.has(r.model)).sort((a, b) => b.valid_from.getTime() - a.valid_from.getTime())[0];
    const base = lookupCatalog(q.provider, q.model, at);
    let rates: CallRates | null = null;
    let source: EffectivePrice["source"] = "catalog";
    let priceRef = "";
    if (override?.i && override.o) {
      rates = { input: override.i, output: override.o, cacheRead: override.cr, cacheWrite: override.cw };
      source = "override";
      priceRef = `override:${override.id}`;
    } else if (override?.d && base) {
      rates = discounted(base.rates, override.d);
      source = "override";
      priceRef = `override:${override.id}(-${override.d}% of ${base.providerId}/${base.modelId})`;
    } else if (base) {
      rates = base.rates;
      priceRef = `catalog:${base.providerId}/${base.modelId}`;
    }
    if (!rates) continue;
    const flat = (r: CallRates["input"] | null): string | null => (r === null ? null : rateFor(r, q.avgInputTokensPerCall).toString());
    prices.push({
      provider: q.provider, model: q.model, source, priceRef,
      inputUsdPerMTok: flat(rates.input)!, cachedInputUsdPerMTok: flat(rates.cacheRead), cacheWriteUsdPerMTok: flat(rates.cacheWrite), outputUsdPerMTok: flat(rates.output)!,
    });
  }
  return prices;
}
