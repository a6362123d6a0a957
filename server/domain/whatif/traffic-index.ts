import Decimal from "decimal.js";
import type { HourlyTrafficRow, TrafficMatch } from "./types.ts";

const HOUR_MS = 3_600_000;

/** All traffic of one feature × provider × model × self-hosted flag in the period, with its hourly series. */
export type TrafficGroup = {
  feature: string;
  provider: string | null;
  model: string | null;
  isSelfHosted: boolean;
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  tasks: number;
  successfulTasks: number;
  costUsd: Decimal;
  hourlyCalls: Float64Array; // index = hour slot from the period start
  hourlyInput: Float64Array;
  hourlyOutput: Float64Array;
  hourlyCostUsd: (Decimal | undefined)[];
};

/** Traffic of a period indexed for repeated scenario runs (build once, run many scenarios against it). */
export type TrafficIndex = { startMs: number; endMs: number; hours: number; groups: TrafficGroup[]; actualCostUsd: Decimal; droppedRows: number };

/**
 * Groups hourly rows by feature × provider × model × self-hosted and lays each group out as hourly series over
 * [startMs, endMs) (hour slots, so idle hours exist as zeros). Rows outside the period are dropped and counted.
 * Cost sums are exact (decimal.js). O(rows + groups × hours).
 */
export function indexTraffic(rows: readonly HourlyTrafficRow[], period: { startMs: number; endMs: number }): TrafficIndex {
  const hours = Math.max(1, Math.ceil((period.endMs - period.startMs) / HOUR_MS));
  const byKey = new Map<string, TrafficGroup>();
  let dropped = 0;
  for (const r of rows) {
    const slot = Math.floor((r.hourStartMs - period.startMs) / HOUR_MS);
    if (slot < 0 || slot >= hours || r.hourStartMs >= period.endMs) {
      dropped++;
      continue;
    }
    const key = `${r.feature}\u0000${r.provider ?? ""}\u0000${r.model ?? ""}\u0000${r.isSelfHosted ? 1 : 0}`;
    let g = byKey.get(key);
    if (!g) {
      g = {
        feature: r.feature, provider: r.provider, model: r.model, isSelfHosted: r.isSelfHosted,
        calls: 0, inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, tasks: 0, successfulTasks: 0, costUsd: new Decimal(0),
        hourlyCalls: new Float64Array(hours), hourlyInput: new Float64Array(hours), hourlyOutput: new Float64Array(hours), hourlyCostUsd: new Array<Decimal | undefined>(hours),
      };
      byKey.set(key, g);
    }
    const cost = new Decimal(r.costUsd);
    g.calls += r.calls;
    g.inputTokens += r.inputTokens;
    g.cachedInputTokens += r.cachedInputTokens;
    g.cacheWriteTokens += r.cacheWriteTokens;
    g.outputTokens += r.outputTokens;
    g.tasks += r.tasks;
    g.successfulTasks += r.successfulTasks;
    g.hourlyCalls[slot]! += r.calls;
    g.hourlyInput[slot]! += r.inputTokens;
    g.hourlyOutput[slot]! += r.outputTokens;
    const prev = g.hourlyCostUsd[slot];
    g.hourlyCostUsd[slot] = prev ? prev.plus(cost) : cost;
  }
  let actual = new Decimal(0);
  for (const g of byKey.values()) {
    let sum = new Decimal(0);
    for (const c of g.hourlyCostUsd) if (c) sum = sum.plus(c);
    g.costUsd = sum;
    actual = actual.plus(sum);
  }
  return { startMs: period.startMs, endMs: period.endMs, hours, groups: [...byKey.values()], actualCostUsd: actual, droppedRows: dropped };
}

/** Whether a group falls under a scenario's match (omitted lists match all). */
export function matches(g: TrafficGroup, m: TrafficMatch): boolean {
  if (m.features && !m.features.includes(g.feature)) return false;
  if (m.providers && (g.provider === null || !m.providers.includes(g.provider))) return false;
  if (m.models && (g.model === null || !m.models.includes(g.model))) return false;
  if (m.selfHosted !== undefined && m.selfHosted !== g.isSelfHosted) return false;
  return true;
}
