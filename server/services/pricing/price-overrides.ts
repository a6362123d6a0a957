import crypto from "node:crypto";
import Decimal from "decimal.js";
import { z } from "zod";
import { markDirtyTraces } from "../../db/bulk/mark-dirty.ts";
import { NotFoundError, ValidationError } from "../../errors.ts";
import { actorUserId, requirePermission, type OrgContext } from "../org-context.ts";
import { catalogProviderId } from "../../domain/pricing/call-cost.ts";
import { createDbPricer, notifyPricesChanged } from "./db-pricer.ts";

const usd = z.string().regex(/^\d{1,7}(\.\d{1,10})?$/, "a USD amount per 1M tokens, like 2.50");

export const PriceOverrideInputSchema = z
  .object({
    provider: z.string().trim().min(1).max(100),
    model: z.string().trim().min(1).max(200),
    inputUsdPerMTok: usd.optional(),
    cachedInputUsdPerMTok: usd.optional(),
    cacheWriteUsdPerMTok: usd.optional(),
    outputUsdPerMTok: usd.optional(),
    discountPercent: z.string().regex(/^\d{1,2}(\.\d{1,4})?$|^100$/, "a percentage from 0 to 100").optional(),
    validFrom: z.coerce.date(),
    validTo: z.coerce.date().optional(),
  })
  .refine((v) => (v.inputUsdPerMTok && v.outputUsdPerMTok) || v.discountPercent, { message: "give input and output prices (a contract price) or a discount percentage" })
  .refine((v) => !v.validTo || v.validTo > v.validFrom, { message: "validTo must be after validFrom" });
export type PriceOverrideInput = z.input<typeof PriceOverrideInputSchema>;

export type RepricingResult = { repricedCalls: number; deltaUsd: string };

/** Org price overrides and the audit trail of who changed what and what it did to already-priced calls. */
export async function listPriceOverrides({ ctx }: { ctx: OrgContext }) {
  requirePermission(ctx, "costs:read");
  const [overrides, audits] = await Promise.all([
    ctx.db.prisma.priceRow.findMany({ where: { orgId: ctx.org.id }, orderBy: { validFrom: "desc" } }),
    ctx.db.prisma.priceAudit.findMany({ where: { orgId: ctx.org.id }, orderBy: { createdAt: "desc" }, take: 100 }),
  ]);
  const money = (d: { toString(): string } | null) => (d === null ? null : d.toString());
  return {
    overrides: overrides.map((o) => ({
      id: o.id, provider: o.provider, model: o.model, inputUsdPerMTok: money(o.inputUsdPerMTok), cachedInputUsdPerMTok: money(o.cachedInputUsdPerMTok),
      cacheWriteUsdPerMTok: money(o.cacheWriteUsdPerMTok), outputUsdPerMTok: money(o.outputUsdPerMTok), discountPercent: money(o.discountPercent),
      validFrom: o.validFrom, validTo: o.validTo,
    })),
    audits: audits.map((a) => ({ id: a.id, actor: a.actor, action: a.action, repricedCalls: a.repricedCalls, deltaUsd: a.deltaUsd.toFixed(12), createdAt: a.createdAt, after: a.after, before: a.before })),
  };
}

export async function createPriceOverride({ ctx, input, nowMs = Date.now() }: { ctx: OrgContext; input: PriceOverrideInput; nowMs?: number }): Promise<{ id: string } & RepricingResult> {
  requirePermission(ctx, "prices:manage");
  const parsed = PriceOverrideInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => i.message).join("; "));
  const v = parsed.data;
  const id = crypto.randomUUID();
  await ctx.db.prisma.priceRow.create({
    data: {
      id, orgId: ctx.org.id, source: "override", provider: v.provider, model: v.model, inputUsdPerMTok: v.inputUsdPerMTok ?? null,
      cachedInputUsdPerMTok: v.cachedInputUsdPerMTok ?? null, cacheWriteUsdPerMTok: v.cacheWriteUsdPerMTok ?? null, outputUsdPerMTok: v.outputUsdPerMTok ?? null,
      discountPercent: v.discountPercent ?? null, validFrom: v.validFrom, validTo: v.validTo ?? null, createdByUserId: actorUserId(ctx.actor),
    },
  });
  notifyPricesChanged();
  const repriced = v.validFrom.getTime() < nowMs ? await repriceCalls({ ctx, provider: v.provider, model: v.model, from: v.validFrom, to: v.validTo ?? new Date(nowMs) }) : { repricedCalls: 0, deltaUsd: "0" };
  await audit(ctx, { priceRowId: id, action: "create", before: null, after: { ...v, validFrom: v.validFrom.toISOString(), validTo: v.validTo?.toISOString() ?? null }, ...repriced });
  return { id, ...repriced };
}

export async function deletePriceOverride({ ctx, id, nowMs = Date.now() }: { ctx: OrgContext; id: string; nowMs?: number }): Promise<RepricingResult> {
  requirePermission(ctx, "prices:manage");
  const row = await ctx.db.prisma.priceRow.findFirst({ where: { id, orgId: ctx.org.id } });
  if (!row) throw new NotFoundError("price override", id);
  await ctx.db.prisma.priceRow.delete({ where: { id: row.id } });
  notifyPricesChanged();
  const repriced = row.validFrom.getTime() < nowMs ? await repriceCalls({ ctx, provider: row.provider, model: row.model, from: row.validFrom, to: row.validTo ?? new Date(nowMs) }) : { repricedCalls: 0, deltaUsd: "0" };
  await audit(ctx, { priceRowId: id, action: "delete", before: { provider: row.provider, model: row.model, validFrom: row.validFrom.toISOString() }, after: null, ...repriced });
  return repriced;
}

async function audit(ctx: OrgContext, entry: { priceRowId: string; action: string; before: unknown; after: unknown } & RepricingResult): Promise<void> {
  const actor = ctx.actor.type === "user" ? `user:${ctx.actor.userId}` : ctx.actor.type === "system" ? `system:${ctx.actor.name}` : `key:${ctx.actor.keyId}`;
  await ctx.db.prisma.priceAudit.create({
    data: {
      id: crypto.randomUUID(), orgId: ctx.org.id, priceRowId: entry.priceRowId, actor, action: entry.action,
      before: entry.before === null ? undefined : (entry.before as object), after: entry.after === null ? undefined : (entry.after as object),
      repricedCalls: entry.repricedCalls, deltaUsd: entry.deltaUsd,
    },
  });
}

const REPRICE_BATCH = 5_000;

/**
 * Re-prices the org's calls of one provider/model started in [from, to) with the prices now in force, in batches:
 * updates span costs, re-marks their traces (task costs) and hours (rollups), and returns the $ difference.
 */
export async function repriceCalls({ ctx, provider, model, from, to }: { ctx: OrgContext; provider: string; model: string; from: Date; to: Date }): Promise<RepricingResult> {
  const pricer = await createDbPricer({ db: ctx.db, log: () => undefined });
  let delta = new Decimal(0);
  let count = 0;
  try {
    let after = { start: from, traceId: "", spanId: "" };
    for (;;) {
      const { rows } = await ctx.db.pool.query(
        `SELECT trace_id, span_id, start_time, provider, request_model, response_model, model, operation, input_tokens, cache_read_tokens,
           cache_write_tokens, output_tokens, reasoning_tokens, cost_usd::text AS cost
         FROM spans
         WHERE org_id = $1 AND is_llm_call AND (model = $2 OR request_model = $2) AND start_time < $4
           AND (start_time, trace_id, span_id) > ($3, $5, $6)
         ORDER BY start_time, trace_id, span_id LIMIT ${REPRICE_BATCH}`,
        [ctx.org.id, model, after.start, to, after.traceId, after.spanId],
      );
      if (rows.length === 0) break;
      const updates: { traceId: string; spanId: string; cost: string | null; ref: string | null }[] = [];
      for (const r of rows) {
        const llm = {
          provider: r.provider, requestModel: r.request_model, responseModel: r.response_model, model: r.model, operation: r.operation,
          inputTokens: Number(r.input_tokens ?? 0), cacheReadTokens: Number(r.cache_read_tokens ?? 0), cacheWriteTokens: Number(r.cache_write_tokens ?? 0),
          outputTokens: Number(r.output_tokens ?? 0), reasoningTokens: Number(r.reasoning_tokens ?? 0), isStreaming: null, ttftMs: null, errorType: null, serverAddress: null,
        };
        // The override names a provider by its OTel name or catalog id: only that provider's calls change.
        if (llm.provider !== provider && catalogProviderId(llm.provider) !== provider) continue;
        const priced = pricer.price(ctx.org.id, llm, (r.start_time as Date).getTime());
        const next = priced?.costUsd ?? null;
        if (next !== r.cost) {
          delta = delta.plus(next ?? 0).minus(r.cost ?? 0);
          updates.push({ traceId: r.trace_id, spanId: r.span_id, cost: next, ref: priced?.priceRef ?? null });
        }
      }
      if (updates.length) {
        await ctx.db.pool.query(
          `WITH u AS (SELECT * FROM unnest($2::text[], $3::text[], $4::numeric[], $5::text[]) AS u(trace_id, span_id, cost, ref))
           UPDATE spans s SET cost_usd = u.cost, price_ref = u.ref FROM u WHERE s.org_id = $1 AND s.trace_id = u.trace_id AND s.span_id = u.span_id`,
          [ctx.org.id, updates.map((u) => u.traceId), updates.map((u) => u.spanId), updates.map((u) => u.cost), updates.map((u) => u.ref)],
        );
        await markDirtyTraces(ctx.db.pool, updates.map((u) => ({ orgId: ctx.org.id, traceId: u.traceId })));
        count += updates.length;
      }
      const last = rows.at(-1)!;
      after = { start: last.start_time, traceId: last.trace_id, spanId: last.span_id };
    }
  } finally {
    pricer.close();
  }
  return { repricedCalls: count, deltaUsd: delta.toFixed(12) };
}
