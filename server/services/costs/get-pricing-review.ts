import Decimal from "decimal.js";
import { callCostUsd, rateFor } from "../../domain/pricing/call-cost.ts";
import { resolvePeriod } from "../../domain/costs/period.ts";
import { money } from "../../domain/costs/summary.ts";
import { formatUsd } from "../../domain/costs/usd.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";
import { lookupCatalog } from "../pricing/genai-catalog.ts";
import { queryCosts, type CostRow } from "./query-costs.ts";

/** Widely used models of other providers to price the same usage at (ids as the catalog knows them). */
export const ALTERNATIVES: { provider: string; model: string }[] = [
  { provider: "openai", model: "gpt-4.1" },
  { provider: "openai", model: "gpt-4.1-mini" },
  { provider: "openai", model: "gpt-4o-mini" },
  { provider: "anthropic", model: "claude-sonnet-4-20250514" },
  { provider: "anthropic", model: "claude-3-5-haiku-latest" },
  { provider: "gcp.gemini", model: "gemini-2.5-pro" },
  { provider: "gcp.gemini", model: "gemini-2.5-flash" },
  { provider: "mistral_ai", model: "mistral-large-latest" },
  { provider: "deepseek", model: "deepseek-chat" },
];

export type Alternative = { provider: string; model: string; costUsd: string; savingUsd: string };
export type Recommendation = { title: string; detail: string; savingUsdPerPeriod: string };

const row = (r: CostRow) => ({ key: r.key, costUsd: r.costUsd, calls: r.calls, inputTokens: r.inputTokens, outputTokens: r.outputTokens, unpricedCalls: r.unpricedCalls, successfulTasks: r.successfulTasks });

/**
 * The quarterly pricing review for finance: spend by provider, model and feature over the last 90 days, price
 * changes applied in the period and their $ effect (audit trail), the same token usage of each top model priced at
 * other providers' current catalog prices, and recommendations ranked by $ saved. Quality is not compared: a cheaper
 * model is a candidate to evaluate, not a verdict.
 */
export async function getPricingReview({ ctx, nowMs }: { ctx: OrgContext; nowMs: number }) {
  requirePermission(ctx, "reports:read");
  const p = resolvePeriod("90d", nowMs);
  const range = { from: p.from, to: p.to, filters: {} };
  const [total, byProvider, byModel, byFeature, audits] = await Promise.all([
    queryCosts({ ctx, query: { ...range, groupBy: [] } }),
    queryCosts({ ctx, query: { ...range, groupBy: ["provider"] } }),
    queryCosts({ ctx, query: { ...range, groupBy: ["provider", "model"] } }),
    queryCosts({ ctx, query: { ...range, groupBy: ["feature"] } }),
    ctx.db.prisma.priceAudit.findMany({ where: { orgId: ctx.org.id, createdAt: { gte: p.from, lt: p.to } }, orderBy: { createdAt: "desc" } }),
  ]);
  const at = new Date(nowMs);
  const topModels = [...byModel.rows].filter((r) => Number(r.apiCostUsd) > 0).sort((a, b) => Number(b.apiCostUsd) - Number(a.apiCostUsd)).slice(0, 5);
  const samePriced = topModels.map((m) => {
    const avgInput = m.calls ? m.inputTokens / m.calls : 0;
    const current = m.key.model ? lookupCatalog(m.key.provider ?? null, m.key.model, at) : null;
    const alternatives: Alternative[] = ALTERNATIVES.flatMap((a) => {
      const match = lookupCatalog(a.provider, a.model, at);
      // The same catalog model under another name (a dated snapshot) is not an alternative.
      if (!match || (current && match.providerId === current.providerId && match.modelId === current.modelId)) return [];
      // Tiers depend on request size: price the average request, scaled to the period's token totals.
      const tokens = { inputTokens: m.inputTokens, cacheReadTokens: m.cachedInputTokens, cacheWriteTokens: m.cacheWriteTokens, outputTokens: m.outputTokens };
      const flat = { ...match.rates, input: rateFor(match.rates.input, avgInput).toString(), output: rateFor(match.rates.output, avgInput).toString(), cacheRead: match.rates.cacheRead && rateFor(match.rates.cacheRead, avgInput).toString(), cacheWrite: match.rates.cacheWrite && rateFor(match.rates.cacheWrite, avgInput).toString() };
      const cost = callCostUsd(tokens, flat);
      return [{ provider: a.provider, model: a.model, costUsd: money(cost), savingUsd: money(new Decimal(m.apiCostUsd).minus(cost)) }];
    }).sort((x, y) => Number(x.costUsd) - Number(y.costUsd));
    return { provider: m.key.provider ?? "", model: m.key.model ?? "", apiCostUsd: m.apiCostUsd, calls: m.calls, inputTokens: m.inputTokens, outputTokens: m.outputTokens, alternatives };
  });
  const recommendations: Recommendation[] = [];
  for (const m of samePriced) {
    const best = m.alternatives[0];
    if (best && Number(best.savingUsd) > 0) recommendations.push({ title: `Evaluate ${best.model} for ${m.model} traffic`, detail: `The same ${m.calls} calls would have cost ${formatUsd(best.costUsd)} instead of ${formatUsd(m.apiCostUsd)} at current catalog prices (quality to be validated).`, savingUsdPerPeriod: best.savingUsd });
  }
  const t = total.totals;
  if (Number(t.idleGpuCostUsd) > 0) recommendations.push({ title: "Scale self-hosted GPUs with demand", detail: `Idle GPU time cost ${formatUsd(t.idleGpuCostUsd)}: scale pools down off-peak or overflow peaks to an API.`, savingUsdPerPeriod: t.idleGpuCostUsd });
  if (Number(t.wastedCallCostUsd) > 0) recommendations.push({ title: "Cut failed calls and retries", detail: `Failed calls and superseded retry attempts cost ${formatUsd(t.wastedCallCostUsd)}.`, savingUsdPerPeriod: t.wastedCallCostUsd });
  recommendations.sort((a, b) => Number(b.savingUsdPerPeriod) - Number(a.savingUsdPerPeriod));
  return {
    period: { from: p.from.toISOString(), to: p.to.toISOString() },
    totals: t,
    byProvider: byProvider.rows.map(row),
    byModel: byModel.rows.map(row),
    byFeature: byFeature.rows.map(row),
    priceChanges: audits.map((a) => ({ at: a.createdAt.toISOString(), actor: a.actor, action: a.action, change: a.after ?? a.before, repricedCalls: a.repricedCalls, deltaUsd: money(new Decimal(a.deltaUsd.toString())) })),
    samePriced,
    recommendations,
  };
}
