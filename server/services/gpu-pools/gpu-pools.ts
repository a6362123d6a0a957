import crypto from "node:crypto";
import Decimal from "decimal.js";
import { z } from "zod";
import { ConflictError, NotFoundError } from "../../errors.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";
import { writePoolAndMarkHours, type PoolReach } from "./write-pool-and-mark-hours.ts";

const list = z.array(z.string().trim().min(1).max(200)).max(100).default([]);

export const GpuPoolInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  gpuType: z.string().trim().min(1).max(50),
  gpuCount: z.number().int().min(1).max(100_000),
  usdPerGpuHour: z.string().regex(/^\d{1,6}(\.\d{1,6})?$/, "a USD amount like 2.49"),
  /** Electricity price; when given, each pool-hour's measured GPU energy is added to its cost. */
  usdPerKwh: z.string().regex(/^\d{1,6}(\.\d{1,6})?$/, "a USD amount per kWh like 0.12").nullable().default(null),
  matchHosts: list,
  matchGpuUuids: list,
  matchLabels: z.record(z.string().max(100), z.string().max(200)).default({}),
  servesModels: list,
  servesAddresses: list,
});
export type GpuPoolInput = z.input<typeof GpuPoolInputSchema>;

export type GpuPoolInfo = z.output<typeof GpuPoolInputSchema> & { id: string; createdAt: Date };

function toInfo(row: {
  id: string; name: string; gpuType: string; gpuCount: number; usdPerGpuHour: Decimal | { toFixed: (n: number) => string }; usdPerKwh: { toFixed: (n: number) => string } | null;
  matchHosts: string[]; matchGpuUuids: string[]; matchLabels: unknown; servesModels: string[]; servesAddresses: string[]; createdAt: Date;
}): GpuPoolInfo {
  return {
    id: row.id, name: row.name, gpuType: row.gpuType, gpuCount: row.gpuCount, usdPerGpuHour: new Decimal(row.usdPerGpuHour.toFixed(6)).toString(),
    usdPerKwh: row.usdPerKwh === null ? null : new Decimal(row.usdPerKwh.toFixed(6)).toString(),
    matchHosts: row.matchHosts, matchGpuUuids: row.matchGpuUuids, matchLabels: (row.matchLabels ?? {}) as Record<string, string>,
    servesModels: row.servesModels, servesAddresses: row.servesAddresses, createdAt: row.createdAt,
  };
}

export async function listGpuPools({ ctx }: { ctx: OrgContext }): Promise<GpuPoolInfo[]> {
  requirePermission(ctx, "costs:read");
  const rows = await ctx.db.prisma.gpuPool.findMany({ where: { orgId: ctx.org.id }, orderBy: { name: "asc" } });
  return rows.map(toInfo);
}

export async function createGpuPool({ ctx, input }: { ctx: OrgContext; input: GpuPoolInput }): Promise<GpuPoolInfo> {
  requirePermission(ctx, "pools:manage");
  const data = GpuPoolInputSchema.parse(input);
  const exists = await ctx.db.prisma.gpuPool.findFirst({ where: { orgId: ctx.org.id, name: data.name } });
  if (exists) throw new ConflictError(`a GPU pool named ${data.name} exists already`);
  // The pool and the marks of the hours it now costs land together: history already stored is re-costed by the worker.
  const id = crypto.randomUUID();
  const row = await writePoolAndMarkHours(ctx.db, ctx.org.id, id, { rules: data, reach: { samples: true, servedCalls: true } }, (tx) =>
    tx.gpuPool.create({ data: { id, orgId: ctx.org.id, ...data } }).catch(rethrowNameTaken(data.name)));
  return toInfo(row);
}

/** What of a pool's edit can move costs to other hours or calls than those it already costs. */
function reachOfChange(before: GpuPoolInfo, after: z.output<typeof GpuPoolInputSchema>): PoolReach {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return {
    samples: !same(before.matchHosts, after.matchHosts) || !same(before.matchGpuUuids, after.matchGpuUuids),
    servedCalls: !same(before.servesModels, after.servesModels) || !same(before.servesAddresses, after.servesAddresses) || before.name !== after.name,
  };
}

/** A concurrent create or rename to the same name loses the race on the unique (org, name) index: a conflict too. */
const rethrowNameTaken = (name: string) => (error: unknown): never => {
  if ((error as { code?: string }).code === "P2002") throw new ConflictError(`a GPU pool named ${name} exists already`);
  throw error;
};

export async function updateGpuPool({ ctx, id, input }: { ctx: OrgContext; id: string; input: GpuPoolInput }): Promise<GpuPoolInfo> {
  requirePermission(ctx, "pools:manage");
  const data = GpuPoolInputSchema.parse(input);
  const before = await ctx.db.prisma.gpuPool.findFirst({ where: { id, orgId: ctx.org.id } });
  if (!before) throw new NotFoundError("GPU pool", id);
  if (data.name !== before.name && (await ctx.db.prisma.gpuPool.findFirst({ where: { orgId: ctx.org.id, name: data.name } }))) {
    throw new ConflictError(`a GPU pool named ${data.name} exists already`);
  }
  // Hours costed under the old rules (price, GPU count, matches) and those the new rules reach are all recomputed.
  const row = await writePoolAndMarkHours(ctx.db, ctx.org.id, id, { rules: data, reach: reachOfChange(toInfo(before), data) }, async (tx) => {
    const result = await tx.gpuPool.updateMany({ where: { id, orgId: ctx.org.id }, data }).catch(rethrowNameTaken(data.name));
    if (result.count === 0) throw new NotFoundError("GPU pool", id);
    return tx.gpuPool.findFirstOrThrow({ where: { id, orgId: ctx.org.id } });
  });
  return toInfo(row);
}

export async function deleteGpuPool({ ctx, id }: { ctx: OrgContext; id: string }): Promise<void> {
  requirePermission(ctx, "pools:manage");
  // The hours it costed are recomputed without it: its calls go back to API prices (or unpriced), its GPU-hours away.
  await writePoolAndMarkHours(ctx.db, ctx.org.id, id, { rules: null, reach: { samples: false, servedCalls: false } }, async (tx) => {
    const result = await tx.gpuPool.deleteMany({ where: { id, orgId: ctx.org.id } });
    if (result.count === 0) throw new NotFoundError("GPU pool", id);
  });
}
