import { rateFor, type CallRates } from "../../domain/pricing/call-cost.ts";
import { findOverride, overrideFromRow, resolvePrice } from "../../domain/pricing/override-rule.ts";
import type { ApiPrice } from "../../domain/whatif/types.ts";
import type { OrgContext } from "../org-context.ts";
import { CATALOG_VERSION, lookupCatalog } from "./genai-catalog.ts";

export type PriceQuery = { provider: string; model: string; avgInputTokensPerCall: number };
export type EffectivePrice = ApiPrice & { source: "override" | "catalog"; priceRef: string };

type OverrideRow = { id: string; provider: string; model: string; i: string | null; cr: string | null; cw: string | null; o: string | null; d: string | null; valid_from: Date; valid_to: Date | null };

/**
 * The org's effective API price per provider/model at `at`, by the same rule as the ingest pricer
 * (domain/pricing/override-rule.ts): the override in force (contract price, or a discount on the catalog), else the
 * pinned catalog. Tiered rates are
 * flattened at the pair's average input tokens per call (tiers depend on request size). Pairs with no price are
 * left out: the caller treats them as unpriced, never as $0.
 */
export async function effectiveApiPrices({ ctx, queries, at }: { ctx: OrgContext; queries: readonly PriceQuery[]; at: Date }): Promise<EffectivePrice[]> {
  const { rows } = await ctx.db.pool.query<OverrideRow>(
    `SELECT id, provider, model, input_usd_per_mtok::text AS i, cached_input_usd_per_mtok::text AS cr, cache_write_usd_per_mtok::text AS cw,
       output_usd_per_mtok::text AS o, discount_percent::text AS d, valid_from, valid_to
     FROM price_rows WHERE org_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`,
    [ctx.org.id, at],
  );
  const overrides = rows.map((r) => overrideFromRow({ id: r.id, provider: r.provider, model: r.model, input: r.i, cachedInput: r.cr, cacheWrite: r.cw, output: r.o, discountPercent: r.d, validFrom: r.valid_from, validTo: r.valid_to }));
  const prices: EffectivePrice[] = [];
  const seen = new Set<string>();
  for (const q of queries) {
    const key = `${q.provider}\u0000${q.model}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const override = findOverride(overrides, { providers: [q.provider], models: [q.model] }, at.getTime());
    const resolved = resolvePrice(override, lookupCatalog(q.provider, q.model, at), CATALOG_VERSION);
    if (!resolved) continue;
    const { rates, priceRef } = resolved;
    const source: EffectivePrice["source"] = resolved.override ? "override" : "catalog";
    const flat = (r: CallRates["input"] | null): string | null => (r === null ? null : rateFor(r, q.avgInputTokensPerCall).toString());
    prices.push({
      provider: q.provider, model: q.model, source, priceRef,
      inputUsdPerMTok: flat(rates.input)!, cachedInputUsdPerMTok: flat(rates.cacheRead), cacheWriteUsdPerMTok: flat(rates.cacheWrite), outputUsdPerMTok: flat(rates.output)!,
    });
  }
  return prices;
}
