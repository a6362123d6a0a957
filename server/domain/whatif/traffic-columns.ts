import type { HourlyTrafficRow } from "./types.ts";

const HOUR_MS = 3_600_000;

type GroupKey = { feature: string; provider: string | null; model: string | null; isSelfHosted: boolean };

/**
 * Hourly traffic in columns for the wire: each feature × provider × model × self-hosted key once, then one array per
 * measure (hours as offsets from `startMs`). About a third of the size of row objects; money stays decimal strings.
 */
export type TrafficColumns = {
  startMs: number;
  groups: GroupKey[];
  group: number[];
  hour: number[];
  calls: number[];
  inputTokens: number[];
  cachedInputTokens: number[];
  cacheWriteTokens: number[];
  outputTokens: number[];
  costUsd: string[];
  tasks: number[];
  successfulTasks: number[];
};

export function encodeTrafficColumns(rows: readonly HourlyTrafficRow[], startMs: number): TrafficColumns {
  const c: TrafficColumns = { startMs, groups: [], group: [], hour: [], calls: [], inputTokens: [], cachedInputTokens: [], cacheWriteTokens: [], outputTokens: [], costUsd: [], tasks: [], successfulTasks: [] };
  const ids = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.feature}\u0000${r.provider ?? "\u0001"}\u0000${r.model ?? "\u0001"}\u0000${r.isSelfHosted ? 1 : 0}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = c.groups.push({ feature: r.feature, provider: r.provider, model: r.model, isSelfHosted: r.isSelfHosted }) - 1;
      ids.set(key, id);
    }
    c.group.push(id);
    c.hour.push((r.hourStartMs - startMs) / HOUR_MS);
    c.calls.push(r.calls);
    c.inputTokens.push(r.inputTokens);
    c.cachedInputTokens.push(r.cachedInputTokens);
    c.cacheWriteTokens.push(r.cacheWriteTokens);
    c.outputTokens.push(r.outputTokens);
    c.costUsd.push(r.costUsd);
    c.tasks.push(r.tasks);
    c.successfulTasks.push(r.successfulTasks);
  }
  return c;
}

export function decodeTrafficColumns(c: TrafficColumns): HourlyTrafficRow[] {
  return c.group.map((g, i) => {
    const key = c.groups[g]!;
    return {
      hourStartMs: c.startMs + c.hour[i]! * HOUR_MS, feature: key.feature, provider: key.provider, model: key.model, isSelfHosted: key.isSelfHosted,
      calls: c.calls[i]!, inputTokens: c.inputTokens[i]!, cachedInputTokens: c.cachedInputTokens[i]!, cacheWriteTokens: c.cacheWriteTokens[i]!,
      outputTokens: c.outputTokens[i]!, costUsd: c.costUsd[i]!, tasks: c.tasks[i]!, successfulTasks: c.successfulTasks[i]!,
    };
  });
}
