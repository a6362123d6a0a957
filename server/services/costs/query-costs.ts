import Decimal from "decimal.js";
import { costFactsSql, DIMENSIONS, MEASURES, sumMeasuresSql } from "../../db/sql/cost-facts.ts";
import { toSummary, type CostSums, type Summary } from "../../domain/costs/summary.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";

import type { GroupByDim } from "../../domain/costs/read-api-params.ts";

export type { GroupByDim };

const DIM_SQL: Record<GroupByDim, string> = {
  feature: "f.feature",
  taskType: "f.task_type",
  provider: "f.provider",
  model: "f.model",
  customer: "f.customer_id",
  day: "date_trunc('day', f.hour, 'UTC')",
  hour: "f.hour",
};

export type CostQuery = {
  from: Date;
  to: Date;
  groupBy: GroupByDim[];
  filters: { feature?: string; model?: string; provider?: string; customer?: string };
};

export type CostRow = { key: Partial<Record<GroupByDim, string>> } & Summary;
export type CostReport = { totals: Summary; rows: CostRow[] };

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Costs for [from, to) grouped by the requested dimensions: whole UTC days from the daily rollups, whole hours
 * from the hourly rollups, the partial hours at either edge straight from the facts, so any range is exact while
 * long ranges stay cheap.
 */
export async function queryCosts({ ctx, query }: { ctx: OrgContext; query: CostQuery }): Promise<CostReport> {
  requirePermission(ctx, "costs:read");
  const params: unknown[] = [ctx.org.id];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const fullStart = new Date(Math.ceil(query.from.getTime() / HOUR_MS) * HOUR_MS);
  const fullEnd = new Date(Math.floor(query.to.getTime() / HOUR_MS) * HOUR_MS);
  // Without a customer dimension or filter, the rollups summed over customers give the same sums from far fewer rows.
  const byCustomer = query.groupBy.includes("customer") || query.filters.customer !== undefined;
  const rollupTable = byCustomer ? "hourly_rollups" : "hourly_feature_rollups";
  const dimensions = byCustomer ? DIMENSIONS : DIMENSIONS.filter((d) => d !== "customer_id");
  const columns = `hour, ${dimensions.join(", ")}, ${MEASURES.join(", ")}`;
  const parts: string[] = [];
  const rawPart = (from: Date, to: Date) =>
    `SELECT ${columns} FROM (${costFactsSql({ org: "$1", from: `${param(from)}::timestamptz`, to: `${param(to)}::timestamptz` })}) raw`;
  const hourlyPart = (from: Date, to: Date) => `SELECT ${columns} FROM ${rollupTable} WHERE org_id = $1 AND hour >= ${param(from)} AND hour < ${param(to)}`;
  if (fullStart < fullEnd) {
    // Whole UTC days from the daily rollups (unless grouped by hour), their edge hours from the hourly ones.
    const dayStart = new Date(Math.ceil(fullStart.getTime() / DAY_MS) * DAY_MS);
    const dayEnd = new Date(Math.floor(fullEnd.getTime() / DAY_MS) * DAY_MS);
    if (!query.groupBy.includes("hour") && dayStart < dayEnd) {
      const dailyTable = byCustomer ? "daily_rollups" : "daily_feature_rollups";
      parts.push(`SELECT day AS hour, ${dimensions.join(", ")}, ${MEASURES.join(", ")} FROM ${dailyTable} WHERE org_id = $1 AND day >= ${param(dayStart)} AND day < ${param(dayEnd)}`);
      if (fullStart < dayStart) parts.push(hourlyPart(fullStart, dayStart));
      if (dayEnd < fullEnd) parts.push(hourlyPart(dayEnd, fullEnd));
    } else {
      parts.push(hourlyPart(fullStart, fullEnd));
    }
    if (query.from < fullStart) parts.push(rawPart(query.from, fullStart));
    if (fullEnd < query.to) parts.push(rawPart(fullEnd, query.to));
  } else {
    parts.push(rawPart(query.from, query.to));
  }
  const where: string[] = [];
  if (query.filters.feature !== undefined) where.push(`f.feature = ${param(query.filters.feature)}`);
  if (query.filters.model !== undefined) where.push(`f.model = ${param(query.filters.model)}`);
  if (query.filters.provider !== undefined) where.push(`f.provider = ${param(query.filters.provider)}`);
  if (query.filters.customer !== undefined) where.push(`f.customer_id = ${param(query.filters.customer)}`);
  const keys = query.groupBy.map((d) => `${DIM_SQL[d]} AS "${d}"`);
  const sql = `
    SELECT ${[...keys, sumMeasuresSql()].join(", ")}
    FROM (${parts.join(" UNION ALL ")}) f
    ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ${query.groupBy.length ? `GROUP BY ${query.groupBy.map((_, i) => i + 1).join(", ")} ORDER BY ${query.groupBy.map((_, i) => i + 1).join(", ")}` : ""}`;
  // (JIT is off for the whole pool — server/db/client.ts — because this statement's raw-facts branch triggered it.)
  const { rows } = await ctx.db.pool.query<Record<string, unknown>>(sql, params);
  const result: CostRow[] = rows.map((row) => {
    const key: Partial<Record<GroupByDim, string>> = {};
    for (const d of query.groupBy) {
      const v = row[d];
      key[d] = v instanceof Date ? v.toISOString() : String(v ?? "");
    }
    return { key, ...toSummary(row as unknown as CostSums) };
  });
  const totals = query.groupBy.length === 0 ? (result[0] ? stripKey(result[0]) : toSummary(emptySums())) : sumRows(rows);
  return { totals, rows: query.groupBy.length === 0 ? [] : result };
}

function stripKey(row: CostRow): Summary {
  const { key: _key, ...summary } = row;
  return summary;
}

function emptySums(): CostSums {
  return Object.fromEntries(MEASURES.map((m) => [m, null])) as unknown as CostSums;
}

/** Totals over grouped rows, summed exactly with decimals (pg returns numeric sums as strings). */
function sumRows(rows: Record<string, unknown>[]): Summary {
  const sums: Record<string, string> = {};
  for (const m of MEASURES) {
    sums[m] = rows.reduce((acc: Decimal, r) => acc.plus(String(r[m] ?? 0)), new Decimal(0)).toString();
  }
  return toSummary(sums as unknown as CostSums);
}
