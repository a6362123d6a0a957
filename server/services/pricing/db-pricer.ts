import type { Pricer } from "../../../collectors/pipeline.ts";
import type { Db } from "../../db/client.ts";
import { Memo3 } from "../../domain/cache/memo3.ts";
import { createCallPricer } from "../../domain/pricing/call-pricer.ts";
import { overrideFromRow, type PriceOverride } from "../../domain/pricing/override-rule.ts";
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
 * off-peak windows (which start on quarter hours, e.g. 16:30 UTC) are honoured. Per call, the domain call pricer
 * reuses name matches and prepared rates (call-pricer.ts), so a span costs map lookups and integer arithmetic.
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
  const memo = new Memo3<string | null, string, number, CatalogMatch | null>(50_000);
  const catalogAt = (provider: string | null, model: string, startMs: number): CatalogMatch | null => {
    const slot = Math.floor(startMs / 900_000);
    let match = memo.get(provider, model, slot);
    if (match === undefined) memo.set(provider, model, slot, (match = lookupCatalog(provider, model, new Date(startMs))));
    return match;
  };
  const priceCall = createCallPricer({ overridesOf: (orgId) => overrides.get(orgId), catalogAt, catalogVersion: CATALOG_VERSION });
  return {
    price: priceCall,
    close: () => {
      clearInterval(timer);
      changeListeners.delete(onChange);
    },
    reload,
  };
}
