import { describe, expect, it } from "vitest";
import { RollupPacer } from "../../../../../server/domain/costs/rollup-pacing.ts";

const HOUR = Date.UTC(2026, 11, 2, 10);

describe("RollupPacer", () => {
  it("lets an hour never recomputed go at once", () => {
    expect(new RollupPacer().isDue("org", HOUR, 0)).toBe(true);
  });

  it("holds a hot hour back for 9× its last recompute (at most 10 % of the time), per org and hour", () => {
    const pacer = new RollupPacer({ maxCostShare: 0.1, maxDelayMs: 60_000 });
    pacer.record("org", HOUR, 1_000, 3_500); // took 2.5 s
    expect(pacer.dueAtMs("org", HOUR)).toBe(3_500 + 22_500);
    expect(pacer.isDue("org", HOUR, 25_999)).toBe(false);
    expect(pacer.isDue("org", HOUR, 26_000)).toBe(true);
    expect(pacer.isDue("other-org", HOUR, 4_000)).toBe(true);
    expect(pacer.isDue("org", HOUR + 3_600_000, 4_000)).toBe(true);
  });

  it("keeps a small hour live (a few ms of work → due again within the next 1 s tick)", () => {
    const pacer = new RollupPacer();
    pacer.record("org", HOUR, 10_000, 10_020);
    expect(pacer.isDue("org", HOUR, 11_000)).toBe(true);
  });

  it("never waits longer than maxDelayMs", () => {
    const pacer = new RollupPacer({ maxCostShare: 0.1, maxDelayMs: 60_000 });
    pacer.record("org", HOUR, 0, 30_000);
    expect(pacer.dueAtMs("org", HOUR)).toBe(90_000);
  });

  it("forgets runs whose wait is long over, so it stays as small as the set of hot hours", () => {
    const pacer = new RollupPacer({ maxCostShare: 0.1, maxDelayMs: 1_000 });
    for (let i = 0; i < 1001; i++) pacer.record(`org-${i}`, HOUR, 0, 10);
    pacer.record("late", HOUR, 100_000, 100_010);
    expect(pacer.size).toBe(1);
  });
});
