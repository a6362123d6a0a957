import { describe, expect, it } from "vitest";
import { energyCostUsd, energyKwh } from "../../../../../server/domain/costs/gpu-energy.ts";

const H = 3_600_000;
const r = (gpuUuid: string, min: number, joulesTotal: number) => ({ gpuUuid, timeMs: 10 * H + min * 60_000, joulesTotal });

describe("GPU energy per pool-hour from cumulative counters", () => {
  it("sums each GPU's increases in the hour, the interval from the reading before the hour included", () => {
    // GPU-1: 1,000,000 J at 9:55, then +1.8 MJ by 10:30 and +1.8 MJ by 10:59 → 3.6 MJ = 1 kWh.
    // GPU-2: +720 kJ from 10:00 to 10:45 = 0.2 kWh. The 11:00 reading belongs to the next hour.
    const readings = [r("GPU-1", -5, 1_000_000), r("GPU-1", 30, 2_800_000), r("GPU-1", 59, 4_600_000), r("GPU-1", 60, 9_999_999), r("GPU-2", 0, 50_000), r("GPU-2", 45, 770_000)];
    const e = energyKwh(readings, 10 * H, 11 * H)!;
    expect(e.gpus).toBe(2);
    expect(e.kwh).toBeCloseTo(1.2, 12);
  });

  it("treats a counter that went down as reset: the reading after it is the energy since the reset", () => {
    // 5,000,000 → 6,800,000 (+1.8 MJ), reset, 360,000 (+0.36 MJ since the reset) → 2.16 MJ = 0.6 kWh.
    const e = energyKwh([r("GPU-1", 0, 5_000_000), r("GPU-1", 20, 6_800_000), r("GPU-1", 40, 360_000)], 10 * H, 11 * H)!;
    expect(e.kwh).toBeCloseTo(0.6, 12);
  });

  it("is unknown (null), not zero, without two readings of a counter", () => {
    expect(energyKwh([r("GPU-1", 10, 5_000_000)], 10 * H, 11 * H)).toBeNull();
    expect(energyKwh([], 10 * H, 11 * H)).toBeNull();
  });

  it("prices kWh at the pool's $/kWh exactly to 12 places", () => {
    expect(energyCostUsd(1.2, "0.135")).toBe("0.162000000000");
    expect(energyCostUsd(0.6, "0.10")).toBe("0.060000000000");
  });
});
