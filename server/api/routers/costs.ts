import { z } from "zod";
import { PERIOD_PRESETS, resolvePeriod } from "../../domain/costs/period.ts";
import { exportFeatureTasks } from "../../services/costs/export-feature-tasks.ts";
import { getFeatureDetail } from "../../services/costs/get-feature-detail.ts";
import { getOverview } from "../../services/costs/get-overview.ts";
import { getPromptGrowth } from "../../services/costs/get-prompt-growth.ts";
import { getPricingReview } from "../../services/costs/get-pricing-review.ts";
import { queryCosts } from "../../services/costs/query-costs.ts";
import { createTRPCRouter, orgProcedure } from "../trpc.ts";

const PeriodInput = z.object({ period: z.enum(PERIOD_PRESETS).default("30d") });

export const costsRouter = createTRPCRouter({
  pricingReview: orgProcedure.query(({ ctx }) => getPricingReview({ ctx: ctx.orgCtx, nowMs: Date.now() })),
  promptGrowth: orgProcedure.query(({ ctx }) => getPromptGrowth({ ctx: ctx.orgCtx, nowMs: Date.now() })),
  overview: orgProcedure.input(PeriodInput).query(({ ctx, input }) => getOverview({ ctx: ctx.orgCtx, preset: input.period, nowMs: Date.now() })),
  /** One feature's page: cost-per-task distribution, task shape, token mix, prompt growth. */
  featureDetail: orgProcedure
    .input(PeriodInput.extend({ feature: z.string().min(1).max(200) }))
    .query(({ ctx, input }) => getFeatureDetail({ ctx: ctx.orgCtx, feature: input.feature, preset: input.period, nowMs: Date.now() })),
  /** The feature's tasks in the period as CSV text (the page turns it into a download). */
  featureTasksCsv: orgProcedure
    .input(PeriodInput.extend({ feature: z.string().min(1).max(200) }))
    .query(({ ctx, input }) => exportFeatureTasks({ ctx: ctx.orgCtx, feature: input.feature, preset: input.period, nowMs: Date.now() })),
  /** One dimension's table (features, models, customers, task types) with a daily trend per row. */
  breakdown: orgProcedure
    .input(PeriodInput.extend({ dimension: z.enum(["feature", "model", "customer", "taskType", "provider"]), feature: z.string().max(200).optional() }))
    .query(async ({ ctx, input }) => {
      const p = resolvePeriod(input.period, Date.now());
      const filters = input.feature ? { feature: input.feature } : {};
      const [table, trend] = await Promise.all([
        queryCosts({ ctx: ctx.orgCtx, query: { from: p.from, to: p.to, groupBy: [input.dimension], filters } }),
        queryCosts({ ctx: ctx.orgCtx, query: { from: p.from, to: p.to, groupBy: [input.dimension, p.bucket], filters } }),
      ]);
      return { bucket: p.bucket, rows: table.rows, trend: trend.rows.map((r) => ({ key: r.key[input.dimension] ?? "", bucket: r.key[p.bucket] ?? "", costUsd: r.costUsd })) };
    }),
});
