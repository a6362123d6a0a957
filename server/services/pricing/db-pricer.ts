import type { Pricer } from "../../../collectors/pipeline.ts";
import type { Db } from "../../db/client.ts";
import { callCostUsd } from "../../domain/pricing/call-cost.ts";
import { findOverride, overrideFromRow, resolvePrice, type PriceOverride } from "../../domain/pricing/override-rule.ts";
import type { LlmUsage } from "../../domain/ingest/types.ts";
import { CATALOG_VERSION, lookupCatalog, type CatalogMatch } from "./genai-catalog.ts";
import { seedCatalog } from "./seed-catalog.ts";

const RELOAD_MS = 15_000;
const changeListeners = new Set<() => void>();

/** Tells pricers in this process to reload overrides now (other processes pick changes up within RELOAD_MS). */
export function notifyPricesChanged(): void {
  for (const listener of changeListeners) listener();
}

/**
 * Prices calls at ingest with the price in force at their start: the org's override (contract price or discount)
 * when one matches, else the pinned catalog. Overrides are cached per process and reloaded every 15 s (and at once
 * after a change in this process); catalog lookups are memoized per provider, model and 15-minute slot, so daily
 * off-peak windows (which start on quarter hours, e.g. 16:30 UTC) are honoured.
 */
export async function createDbPricer({ db, log }: { db: Db; log: (line: string) => void }): Promise<Pricer & { close: () => void; reload: () => Promise<void> }> {
  const seeded = await seedCatalog(db);
  if (seeded.inserted) log(`price catalog ${seeded.version}: ${seeded.inserted} price rows loaded`);
  let overrides = new Map<string, PriceOverride[]>();
  const reload = async () => {
    const { rows } = await db.pool.query(
      `SELECT id, org_id, provider, model, input_usd_per_mtok::text AS i, cached_input_usd_per_mtok::text AS cr, cache_write_usd_per_mtok::text AS cw,
         output_usd_per_mtok::text AS o, discount_percent::text AS d, valid_from, valid_to FROM price_rows WHERE org_id IS NOT NULL`,
    );
    const next = new Map<string, PriceOverride[]>();
    for (const r of rows) {
      const o = overrideFromRow({ id: r.id, provider: r.provider, model: r.model, input: r.i, cachedInput: r.cr, cacheWrite: r.cw, output: r.o, discountPercent: r.d, validFrom: r.valid_from, validTo: r.valid_to });
      next.set(r.org_id, [...(next.get(r.org_id) ?? []), o]);
    }
    overrides = next;
  };
  await reload();
  const timer = setInterval(() => void reload().catch((e) => log(`price overrides reload failed: ${(e as Error).message}`)), RELOAD_MS);
  timer.unref();
  const onChange = () => void reload().catch(() => undefined);
  changeListeners.add(onChange);
  const memo = new Map<string, CatalogMatch | null>();
  const catalog = (provider: string | null, model: string, startMs: number): CatalogMatch | null => {
    const slot = Math.floor(startMs / 900_000);
    const key = `${provider}|${model}|${slot}`;
    if (!memo.has(key)) {
      if (memo.size > 50_000) memo.clear();
      memo.set(key, lookupCatalog(provider, model, new Date(startMs)));
    }
    return memo.get(key)!;
  };
  return {
    price(orgId: string, llm: LlmUsage, startMs: number) {
      const model = llm.model ?? llm.requestModel;
      if (!model) return null;
      const override = findOverride(overrides.get(orgId), { providers: [llm.provider], models: [model, llm.requestModel] }, startMs);
      const base = catalog(llm.provider, model, startMs) ?? (llm.requestModel && llm.requestModel !== model ? catalog(llm.provider, llm.requestModel, startMs) : null);
      const resolved = resolvePrice(override, base, CATALOG_VERSION);
      if (!resolved) return null;
      return { costUsd: callCostUsd(llm, resolved.rates).toFixed(12), priceRef: resolved.priceRef };
    },
    close: () => {
      clearInterval(timer);
      changeListeners.delete(onChange);
    },
    reload,
  };
}
