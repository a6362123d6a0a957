/**
 * How often one org-hour's rollup may be recomputed while spans keep arriving for it.
 *
 * A recompute reads every span of the hour, so its cost grows with the hour: at 10k spans/s the current hour's
 * recompute took 2.5 s on average over 3 minutes (bench/soak.ts), and re-running it on every 1 s worker tick kept
 * one PostgreSQL core busy with nothing but that. Waiting `(1 / maxCostShare − 1) ×` the last recompute's duration
 * before the next one bounds the share of database time one hot hour takes, while a small org's hour (a few ms)
 * is still recomputed on every tick. `maxDelayMs` caps how stale a rollup can get.
 */
export type RollupPacingSettings = { maxCostShare: number; maxDelayMs: number };

export const DEFAULT_ROLLUP_PACING: RollupPacingSettings = { maxCostShare: 0.1, maxDelayMs: 60_000 };

type LastRun = { endedMs: number; durationMs: number };

export class RollupPacer {
  private readonly lastRuns = new Map<string, LastRun>();

  constructor(private readonly settings: RollupPacingSettings = DEFAULT_ROLLUP_PACING) {}

  /** When the hour may next be recomputed (epoch ms); 0 if it never was. */
  dueAtMs(orgId: string, hourMs: number): number {
    const last = this.lastRuns.get(key(orgId, hourMs));
    if (!last) return 0;
    const waitMs = Math.min(this.settings.maxDelayMs, last.durationMs * (1 / this.settings.maxCostShare - 1));
    return last.endedMs + waitMs;
  }

  isDue(orgId: string, hourMs: number, nowMs: number): boolean {
    return nowMs >= this.dueAtMs(orgId, hourMs);
  }

  record(orgId: string, hourMs: number, startedMs: number, endedMs: number): void {
    this.lastRuns.set(key(orgId, hourMs), { endedMs, durationMs: Math.max(0, endedMs - startedMs) });
    // Forget runs whose wait is over: they no longer hold anything back, and the map stays as small as the hot set.
    if (this.lastRuns.size > 1000) {
      for (const [k, run] of this.lastRuns) if (run.endedMs + this.settings.maxDelayMs < endedMs) this.lastRuns.delete(k);
    }
  }

  /** Hours held back right now (the caller skips them when taking work). */
  get size(): number {
    return this.lastRuns.size;
  }
}

const key = (orgId: string, hourMs: number) => `${orgId}\u0000${hourMs}`;
