import { z } from "zod";
import { NotFoundError } from "../../errors.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";

export const ListTasksInputSchema = z.object({
  from: z.date(),
  to: z.date(),
  feature: z.string().max(200).optional(),
  taskType: z.string().max(200).optional(),
  customerId: z.string().max(200).optional(),
  outcome: z.enum(["success", "failure"]).optional(),
  loopsOnly: z.boolean().optional(),
  search: z.string().max(200).optional(),
  sort: z.enum(["start", "cost", "calls"]).default("start"),
  page: z.number().int().min(0).max(10_000).default(0),
  pageSize: z.number().int().min(1).max(200).default(50),
});
export type ListTasksInput = z.infer<typeof ListTasksInputSchema>;

export type TaskListItem = {
  taskKey: string; feature: string | null; taskType: string | null; customerId: string | null; outcome: string;
  startTime: Date; durationMs: number; calls: number; retryCalls: number; failedCalls: number; unpricedCalls: number;
  costUsd: string; retryCostUsd: string; primaryModel: string | null; isLoop: boolean;
};

/** Server-side filtered, sorted, paginated task list (the dashboard never pulls all tasks). */
export async function listTasks({ ctx, input }: { ctx: OrgContext; input: ListTasksInput }): Promise<{ items: TaskListItem[]; total: number }> {
  requirePermission(ctx, "costs:read");
  const q = ListTasksInputSchema.parse(input);
  const where = {
    orgId: ctx.org.id,
    startTime: { gte: q.from, lt: q.to },
    ...(q.feature ? { feature: q.feature } : {}),
    ...(q.taskType ? { taskType: q.taskType } : {}),
    ...(q.customerId ? { customerId: q.customerId } : {}),
    ...(q.outcome ? { outcome: q.outcome } : {}),
    ...(q.loopsOnly ? { isLoop: true } : {}),
    ...(q.search ? { taskKey: { contains: q.search } } : {}),
  };
  const orderBy = q.sort === "cost" ? { costUsd: "desc" as const } : q.sort === "calls" ? { calls: "desc" as const } : { startTime: "desc" as const };
  const [rows, total] = await Promise.all([
    ctx.db.prisma.task.findMany({ where, orderBy, skip: q.page * q.pageSize, take: q.pageSize }),
    ctx.db.prisma.task.count({ where }),
  ]);
  return {
    total,
    items: rows.map((t) => ({
      taskKey: t.taskKey, feature: t.feature, taskType: t.taskType, customerId: t.customerId, outcome: t.outcome,
      startTime: t.startTime, durationMs: t.endTime.getTime() - t.startTime.getTime(), calls: t.calls, retryCalls: t.retryCalls,
      failedCalls: t.failedCalls, unpricedCalls: t.unpricedCalls, costUsd: t.costUsd.toFixed(12), retryCostUsd: t.retryCostUsd.toFixed(12),
      primaryModel: t.primaryModel, isLoop: t.isLoop,
    })),
  };
}

export type TaskSpanNode = {
  traceId: string; spanId: string; parentSpanId: string | null; name: string; startTime: Date; durationMs: number; status: string;
  isLlmCall: boolean; provider: string | null; model: string | null; inputTokens: number | null; cacheReadTokens: number | null;
  cacheWriteTokens: number | null; outputTokens: number | null; costUsd: string | null; gpuCostUsd: string | null; priceRef: string | null;
  isRetry: boolean; isRetryWaste: boolean; errorType: string | null; depth: number;
};

/** One task with its span tree (depth-first, children by start time), each call with tokens, price and cost. */
export async function getTask({ ctx, taskKey }: { ctx: OrgContext; taskKey: string }) {
  requirePermission(ctx, "costs:read");
  const task = await ctx.db.prisma.task.findUnique({ where: { orgId_taskKey: { orgId: ctx.org.id, taskKey } } });
  if (!task) throw new NotFoundError("task", taskKey);
  const spans = await ctx.db.prisma.span.findMany({
    where: { orgId: ctx.org.id, traceId: { in: task.traceIds } },
    orderBy: { startTime: "asc" },
    take: 5000,
  });
  const children = new Map<string | null, typeof spans>();
  const ids = new Set(spans.map((s) => s.spanId));
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const tree: TaskSpanNode[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const s of children.get(parent) ?? []) {
      tree.push({
        traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, startTime: s.startTime,
        durationMs: s.endTime.getTime() - s.startTime.getTime(), status: s.status, isLlmCall: s.isLlmCall, provider: s.provider,
        model: s.model, inputTokens: s.inputTokens === null ? null : Number(s.inputTokens), cacheReadTokens: s.cacheReadTokens === null ? null : Number(s.cacheReadTokens),
        cacheWriteTokens: s.cacheWriteTokens === null ? null : Number(s.cacheWriteTokens), outputTokens: s.outputTokens === null ? null : Number(s.outputTokens),
        costUsd: s.costUsd?.toFixed(12) ?? null, gpuCostUsd: s.gpuCostUsd?.toFixed(12) ?? null, priceRef: s.priceRef, isRetry: s.isRetry,
        isRetryWaste: s.isRetryWaste, errorType: s.errorType, depth,
      });
      if (depth < 64) walk(s.spanId, depth + 1);
    }
  };
  walk(null, 0);
  return {
    task: { ...task, costUsd: task.costUsd.toFixed(12), retryCostUsd: task.retryCostUsd.toFixed(12), failedCostUsd: task.failedCostUsd.toFixed(12), inputTokens: Number(task.inputTokens), outputTokens: Number(task.outputTokens) },
    spans: tree,
  };
}
