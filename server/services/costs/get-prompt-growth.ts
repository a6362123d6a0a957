import { analyzePromptGrowth, type PromptGrowth } from "../../domain/costs/prompt-growth.ts";
import { rateFor } from "../../domain/pricing/call-cost.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";
import { lookupCatalog } from "../pricing/genai-catalog.ts";
import { readPromptDays } from "./prompt-day-stats.ts";

/**
 * Prompt growth per feature × prompt name over the last 35 days (7 recent vs 28 baseline): daily medians (closed
 * days from daily_prompt_stats, the rest from raw spans), analysis in the domain layer, $ impact at the catalog
 * input price of each prompt's most used model.
 */
export async function getPromptGrowth({ ctx, nowMs, feature, recentDays = 7, baselineDays = 28 }: { ctx: OrgContext; nowMs: number; feature?: string; recentDays?: number; baselineDays?: number }): Promise<PromptGrowth[]> {
  requirePermission(ctx, "costs:read");
  const from = new Date((Math.floor(nowMs / 86_400_000) - recentDays - baselineDays) * 86_400_000);
  const days = await readPromptDays(ctx.db, ctx.org.id, from.getTime(), nowMs, feature ?? null);
  const models = new Map<string, { provider: string | null; model: string | null }>();
  for (const d of days) models.set(`${d.feature}\u0000${d.promptName}`, { provider: d.provider, model: d.model }); // the latest day's
  return analyzePromptGrowth(days, {
    nowMs,
    recentDays,
    baselineDays,
    inputUsdPerMTok: (feature, promptName) => {
      const m = models.get(`${feature}\u0000${promptName}`);
      const match = m?.model ? lookupCatalog(m.provider, m.model, new Date(nowMs)) : null;
      return match ? rateFor(match.rates.input, 0).toString() : null;
    },
  });
}
