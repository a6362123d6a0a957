import type { Pricer } from "../../../collectors/pipeline.ts";
import type { Db } from "../../db/client.ts";
import { callCostUsd, catalogProviderId, discounted, normalizeModelName, type CallRates } from "../../domain/pricing/call-cost.ts";
import type { LlmUsage } from "../../domain/ingest/types.ts";
import { CATALOG_VERSION, lookupCatalog, type CatalogMatch } from "./genai-catalog.ts";
import { seedCatalog } from "./seed-catalog.ts";

type Override = {
  id: string;
  provider: string;
  model: string;
  rates: CallRates | null; // fixed contract prices
  discountPercent: string | null; // or a discount on the catalog
  validFromMs: number;
  validToMs: number;
};

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
  let overrides = new Map<string, Override[]>();
  const reload = async () => {
    const { rows } = await db.pool.query(
      `SELECT id, org_id, provider, model, input_usd_per_mtok::text AS i, cached_input_usd_per_mtok::text AS cr, cache_write_usd_per_mtok::text AS cw,
         output_usd_per_mtok::text AS o, discount_percent::text AS d, valid_from, valid_to FROM price_rows WHERE org_id IS NOT NULL`,
    );
    const next = new Map<string, Override[]>();
    for (const r of rows) {
      const o: Override = {
        id: r.id, provider: r.provider, model: r.model,
        rates: r.i && r.o ? { input: r.i, output: r.o, cacheRead: r.cr, cacheWrite: r.cw } : null,
        discountPercent: r.d, validFromMs: r.valid_from.getTime(), validToMs: r.valid_to ? r.valid_to.getTime() : Infinity,
      };
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
      const override = findOverride(overrides.get(orgId), llm, model, startMs);
      const base = catalog(llm.provider, model, startMs) ?? (llm.requestModel && llm.requestModel !== model ? catalog(llm.provider, llm.requestModel, startMs) : null);
      let rates: CallRates | null = null;
      let priceRef: string;
      if (override?.rates) {
        rates = override.rates;
        priceRef = `override:${override.id}`;
      } else if (override?.discountPercent && base) {
        rates = discounted(base.rates, override.discountPercent);
        priceRef = `override:${override.id}(-${override.discountPercent}% of ${base.providerId}/${base.modelId})`;
      } else if (base) {
        rates = base.rates;
        priceRef = `${CATALOG_VERSION}:${base.providerId}/${base.modelId}`;
      } else {
        return null;
      }
      return { costUsd: callCostUsd(llm, rates).toFixed(12), priceRef };
    },
    close: () => {
      clearInterval(timer);
      changeListeners.delete(onChange);
    },
    reload,
  };
}

function findOverride(list: Override[] | undefined, llm: LlmUsage, model: string, startMs: number): Override | null {
  if (!list) return null;
  const providers = new Set([llm.provider, catalogProviderId(llm.provider)].filter(Boolean));
  const models = new Set([model, llm.requestModel, normalizeModelName(model)].filter(Boolean));
  let best: Override | null = null;
  for (const o of list) {
    if (!providers.has(o.provider) || !models.has(o.model)) continue;
    if (startMs < o.validFromMs || startMs >= o.validToMs) continue;
    if (!best || o.validFromMs > best.validFromMs) best = o;
  }
  return best;
}
