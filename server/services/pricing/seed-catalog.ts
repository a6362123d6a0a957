import crypto from "node:crypto";
import type { Db } from "../../db/client.ts";
import { runAsLoginRole } from "../../db/tenant-scope.ts";
import { withTransaction } from "../../db/transaction.ts";
import { CATALOG_VERSION, catalogRows } from "./genai-catalog.ts";

const flat = (r: unknown): string | null => (typeof r === "string" ? r : r && typeof r === "object" && "base" in r ? String((r as { base: string }).base) : null);

/**
 * Loads the pinned catalog into price_rows once per catalog version (idempotent across restarts and processes):
 * decimals per 1M tokens, effective-dated; tiered rates keep their tiers in `details`. The catalog is shared by all
 * orgs, so it is written as the login role even when a tenant's request triggers it (row-level security).
 */
export function seedCatalog(db: Db): Promise<{ inserted: number; version: string }> {
  return runAsLoginRole(() => seedCatalogRows(db));
}

async function seedCatalogRows(db: Db): Promise<{ inserted: number; version: string }> {
  const existing = await db.pool.query("SELECT 1 FROM price_rows WHERE org_id IS NULL AND catalog_version = $1 LIMIT 1", [CATALOG_VERSION]);
  if (existing.rowCount) return { inserted: 0, version: CATALOG_VERSION };
  const rows = await catalogRows();
  const byModel = new Map<string, typeof rows>();
  for (const r of rows) byModel.set(`${r.provider}/${r.model}`, [...(byModel.get(`${r.provider}/${r.model}`) ?? []), r]);
  const values: unknown[][] = Array.from({ length: 10 }, () => []);
  for (const variants of byModel.values()) {
    variants.sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime());
    variants.forEach((r, i) => {
      const validTo = variants[i + 1]?.validFrom ?? null;
      const row = [crypto.randomUUID(), r.provider, r.model, flat(r.rates.input), flat(r.rates.cacheRead), flat(r.rates.cacheWrite), flat(r.rates.output),
        JSON.stringify({ ...r.details, rates: r.rates }), r.validFrom, validTo];
      row.forEach((v, c) => values[c]!.push(v));
    });
  }
  await withTransaction(db.pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(7243119002)");
    const again = await client.query("SELECT 1 FROM price_rows WHERE org_id IS NULL AND catalog_version = $1 LIMIT 1", [CATALOG_VERSION]);
    if (!again.rowCount) {
      // Older catalog versions stay for history but stop being current.
      await client.query("UPDATE price_rows SET valid_to = now() WHERE org_id IS NULL AND valid_to IS NULL");
      await client.query(
        `INSERT INTO price_rows (id, org_id, source, provider, model, input_usd_per_mtok, cached_input_usd_per_mtok, cache_write_usd_per_mtok,
           output_usd_per_mtok, details, valid_from, valid_to, catalog_version)
         SELECT id, NULL, 'catalog', provider, model, i, cr, cw, o, d, vf, vt, $11
         FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::jsonb[], $9::timestamptz[], $10::timestamptz[])
           AS u(id, provider, model, i, cr, cw, o, d, vf, vt)`,
        [...values, CATALOG_VERSION],
      );
    }
  });
  return { inserted: values[0]!.length, version: CATALOG_VERSION };
}
