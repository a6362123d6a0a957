import { analyzePromptGrowth, type PromptDay, type PromptGrowth } from "../../domain/costs/prompt-growth.ts";
import { rateFor } from "../../domain/pricing/call-cost.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";
import { lookupCatalog } from "../pricing/genai-catalog.ts";

/**
 * Prompt growth per feature × prompt name over the last 35 days (7 recent vs 28 baseline): daily medians from
 * SQL, analysis in the domain layer, $ impact at the catalog input price of each prompt's most used model.
 */
export async function getPromptGrowth({ ctx, nowMs, feature, recentDays = 7, baselineDays = 28 }: { ctx: OrgContext; nowMs: number; feature?: string; recentDays?: number; baselineDays?: number }): Promise<PromptGrowth[]> {
  requirePermission(ctx, "costs:read");
  const from = new Date((Math.floor(nowMs / 86_400_000) - recentDays - baselineDays) * 86_400_000);
  const { rows } = await ctx.db.pool.query(
    `SELECT date_trunc('day', start_time, 'UTC') AS day, coalesce(resolved_feature, feature, service_name, '') AS feature, prompt_name,
       count(*)::int AS calls, percentile_cont(0.5) WITHIN GROUP (ORDER BY input_tokens) AS p50_input,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY prompt_system_tokens) AS p50_system,
       array_agg(DISTINCT prompt_version) FILTER (WHERE prompt_version IS NOT NULL) AS versions,
       mode() WITHIN GROUP (ORDER BY provider) AS provider, mode() WITHIN GROUP (ORDER BY model) AS model
     FROM spans
     WHERE org_id = $1 AND is_llm_call AND start_time >= $2 AND prompt_name IS NOT NULL
       AND ($3::text IS NULL OR coalesce(resolved_feature, feature, service_name, '') = $3)
     GROUP BY 1, 2, 3 ORDER BY 1`,
    [ctx.org.id, from, feature ?? null],
  );
  const models = new Map<string, { provider: string | null; model: string | null }>();
  const days: PromptDay[] = rows.map((r) => {
    models.set(`${r.feature}\u0000${r.prompt_name}`, { provider: r.provider, model: r.model });
    return {
      day: (r.day as Date).toISOString(), feature: r.feature, promptName: r.prompt_name, calls: r.calls,
      p50InputTokens: Number(r.p50_input ?? 0), p50SystemTokens: r.p50_system === null ? null : Number(r.p50_system), versions: r.versions ?? [],
    };
  });
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
