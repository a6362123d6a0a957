import { z } from "zod";
import type { CallRates } from "../../domain/pricing/call-cost.ts";
import { effectivePrice, rateView, type PriceOverride, type RateView } from "../../domain/pricing/price-book.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";
import { CATALOG_VERSION } from "./genai-catalog.ts";
import { seedCatalog } from "./seed-catalog.ts";

export const PriceBookQuerySchema = z.object({
  search: z.string().trim().max(100).optional(),
  provider: z.string().trim().min(1).max(100).optional(),
  includeHistory: z.boolean().default(false),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});
export type PriceBookQuery = z.input<typeof PriceBookQuerySchema>;

type Rates = { input: RateView | null; cachedInput: RateView | null; cacheWrite: RateView | null; output: RateView | null };
export type PriceBookRow = {
  id: string; provider: string; model: string; name: string; catalog: Rates; validFrom: Date; validTo: Date | null; current: boolean;
  /** The org's price now, when one of its overrides applies (null: the catalog price is what the org pays). */
  effective: (Rates & { overrideId: string; kind: "contract" | "discount"; discountPercent: string | null }) | null;
};
export type PriceBookPage = { rows: PriceBookRow[]; total: number; page: number; pageSize: number; providers: string[]; catalogVersion: string };

const views = (r: CallRates): Rates => ({ input: rateView(r.input), cachedInput: rateView(r.cacheRead), cacheWrite: rateView(r.cacheWrite), output: rateView(r.output) });
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of the global price catalog (current prices, or every dated price with history), searched by provider
 * or model, with the org's effective price where one of its overrides applies now. Filtering and paging run in SQL.
 */
export async function listPriceBook({ ctx, query, nowMs = Date.now() }: { ctx: OrgContext; query: PriceBookQuery; nowMs?: number }): Promise<PriceBookPage> {
  requirePermission(ctx, "costs:read");
  const q = PriceBookQuerySchema.parse(query);
  await seedCatalog(ctx.db); // idempotent; a fresh database shows the catalog before the first call is priced
  const now = new Date(nowMs);
  const pattern = q.search ? `%${escapeLike(q.search)}%` : null;
  const where = `org_id IS NULL
    AND ($1::text IS NULL OR provider ILIKE $1 OR model ILIKE $1 OR provider || '/' || model ILIKE $1 OR details->>'name' ILIKE $1)
    AND ($2::text IS NULL OR provider = $2)
    AND ($3::boolean OR (valid_from <= $4 AND (valid_to IS NULL OR valid_to > $4)))`;
  const params = [pattern, q.provider ?? null, q.includeHistory, now];
  const [page, providers, overrides] = await Promise.all([
    ctx.db.pool.query<{ id: string; provider: string; model: string; details: { name?: string; rates?: CallRates }; valid_from: Date; valid_to: Date | null; total: string }>(
      `SELECT id, provider, model, details, valid_from, valid_to, count(*) OVER () AS total FROM price_rows WHERE ${where}
       ORDER BY provider, model, valid_from DESC, id LIMIT $5 OFFSET $6`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    ),
    ctx.db.pool.query<{ provider: string }>("SELECT DISTINCT provider FROM price_rows WHERE org_id IS NULL ORDER BY provider"),
    ctx.db.prisma.priceRow.findMany({ where: { orgId: ctx.org.id } }),
  ]);
  const orgOverrides: PriceOverride[] = overrides.map((o) => ({
    id: o.id, provider: o.provider, model: o.model, discountPercent: o.discountPercent?.toString() ?? null,
    rates: o.inputUsdPerMTok && o.outputUsdPerMTok
      ? { input: o.inputUsdPerMTok.toString(), output: o.outputUsdPerMTok.toString(), cacheRead: o.cachedInputUsdPerMTok?.toString() ?? null, cacheWrite: o.cacheWriteUsdPerMTok?.toString() ?? null }
      : null,
    validFromMs: o.validFrom.getTime(), validToMs: o.validTo?.getTime() ?? null,
  }));
  const rows = page.rows.flatMap((r): PriceBookRow[] => {
    const rates = r.details.rates;
    if (!rates) return []; // every seeded row carries its rates; a row without them is not a price
    const current = r.valid_from.getTime() <= nowMs && (r.valid_to === null || r.valid_to.getTime() > nowMs);
    const eff = current ? effectivePrice({ provider: r.provider, model: r.model, rates }, orgOverrides, nowMs) : null;
    return [{
      id: r.id, provider: r.provider, model: r.model, name: r.details.name ?? r.model, catalog: views(rates), validFrom: r.valid_from, validTo: r.valid_to, current,
      effective: eff ? { ...views(eff.rates), overrideId: eff.overrideId, kind: eff.kind, discountPercent: eff.discountPercent } : null,
    }];
  });
  return { rows, total: Number(page.rows[0]?.total ?? 0), page: q.page, pageSize: q.pageSize, providers: providers.rows.map((p) => p.provider), catalogVersion: CATALOG_VERSION };
}
