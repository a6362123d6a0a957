import { z } from "zod";
import { createGpuPool, deleteGpuPool, GpuPoolInputSchema, listGpuPools, updateGpuPool } from "../../services/gpu-pools/gpu-pools.ts";
import { PERIOD_PRESETS } from "../../domain/costs/period.ts";
import { getGpuUsage } from "../../services/gpu-pools/get-gpu-usage.ts";
import { calibrateGpuPool } from "../../services/gpu-pools/calibrate-pool.ts";
import { PRECISIONS } from "../../domain/gpu-model/catalog.ts";
import { createScrapeTarget, deleteScrapeTarget, listScrapeTargets, ScrapeTargetInputSchema } from "../../services/gpu-pools/scrape-targets.ts";
import { createTRPCRouter, orgProcedure } from "../trpc.ts";

export const gpuPoolsRouter = createTRPCRouter({
  list: orgProcedure.query(({ ctx }) => listGpuPools({ ctx: ctx.orgCtx })),
  usage: orgProcedure.input(z.object({ period: z.enum(PERIOD_PRESETS).default("7d") })).query(({ ctx, input }) => getGpuUsage({ ctx: ctx.orgCtx, preset: input.period, nowMs: Date.now() })),
  create: orgProcedure.input(z.object({ pool: GpuPoolInputSchema })).mutation(({ ctx, input }) => createGpuPool({ ctx: ctx.orgCtx, input: input.pool })),
  update: orgProcedure
    .input(z.object({ id: z.string().min(1), pool: GpuPoolInputSchema }))
    .mutation(({ ctx, input }) => updateGpuPool({ ctx: ctx.orgCtx, id: input.id, input: input.pool })),
  delete: orgProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => deleteGpuPool({ ctx: ctx.orgCtx, id: input.id })),
  /** Predicted (GPU model) vs observed tokens/s per hour of one pool, with the fitted efficiency scale. */
  calibration: orgProcedure
    .input(z.object({ id: z.string().min(1), period: z.enum(PERIOD_PRESETS).default("7d"), precision: z.enum(PRECISIONS).default("fp8"), tensorParallel: z.number().int().min(1).max(64).optional() }))
    .query(({ ctx, input }) => calibrateGpuPool({ ctx: ctx.orgCtx, poolId: input.id, preset: input.period, precision: input.precision, tensorParallel: input.tensorParallel, nowMs: Date.now() })),
  scrapeTargets: orgProcedure.query(({ ctx }) => listScrapeTargets({ ctx: ctx.orgCtx })),
  createScrapeTarget: orgProcedure.input(z.object({ target: ScrapeTargetInputSchema })).mutation(({ ctx, input }) => createScrapeTarget({ ctx: ctx.orgCtx, input: input.target })),
  deleteScrapeTarget: orgProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => deleteScrapeTarget({ ctx: ctx.orgCtx, id: input.id })),
});
