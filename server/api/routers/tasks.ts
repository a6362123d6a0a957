import { z } from "zod";
import { resolvePeriod, PERIOD_PRESETS } from "../../domain/costs/period.ts";
import { getTask, listTasks } from "../../services/tasks/tasks.ts";
import { createTRPCRouter, orgProcedure } from "../trpc.ts";

export const tasksRouter = createTRPCRouter({
  list: orgProcedure
    .input(
      z.object({
        period: z.enum(PERIOD_PRESETS).default("7d"),
        feature: z.string().max(200).optional(),
        taskType: z.string().max(200).optional(),
        outcome: z.enum(["success", "failure"]).optional(),
        loopsOnly: z.boolean().optional(),
        search: z.string().max(200).optional(),
        sort: z.enum(["start", "cost", "calls"]).default("start"),
        page: z.number().int().min(0).max(10_000).default(0),
      }),
    )
    .query(({ ctx, input }) => {
      const { period, orgSlug: _slug, ...filters } = input;
      const p = resolvePeriod(period, Date.now());
      return listTasks({ ctx: ctx.orgCtx, input: { ...filters, from: p.from, to: p.to, pageSize: 50 } });
    }),
  get: orgProcedure.input(z.object({ taskKey: z.string().min(1).max(300) })).query(({ ctx, input }) => getTask({ ctx: ctx.orgCtx, taskKey: input.taskKey })),
});
