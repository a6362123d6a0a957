import Decimal from "decimal.js";

/** One GPU's cumulative energy counter reading (DCGM total energy, OTel hw.gpu.energy.consumed), in joules. */
export type EnergyReading = { gpuUuid: string; timeMs: number; joulesTotal: number };

const JOULES_PER_KWH = 3_600_000;

/**
 * Energy the GPUs used in [fromMs, toMs), from cumulative counters: per GPU the sum of increases between consecutive
 * readings whose later reading falls in the window (pass the last reading before the window too, so the first
 * interval counts). A counter that went down was reset (driver reload, exporter restart): the reading after the
 * reset is the energy since it, as Prometheus' increase() treats it. Null when no GPU has two readings to compare.
 */
export function energyKwh(readings: readonly EnergyReading[], fromMs: number, toMs: number): { kwh: number; gpus: number } | null {
  const byGpu = new Map<string, EnergyReading[]>();
  for (const r of readings) {
    if (!Number.isFinite(r.joulesTotal) || r.joulesTotal < 0) continue;
    byGpu.set(r.gpuUuid, [...(byGpu.get(r.gpuUuid) ?? []), r]);
  }
  let joules = 0;
  let gpus = 0;
  for (const list of byGpu.values()) {
    list.sort((a, b) => a.timeMs - b.timeMs);
    let counted = false;
    for (let i = 1; i < list.length; i++) {
      const cur = list[i]!;
      if (cur.timeMs < fromMs || cur.timeMs >= toMs) continue;
      const delta = cur.joulesTotal - list[i - 1]!.joulesTotal;
      joules += delta >= 0 ? delta : cur.joulesTotal;
      counted = true;
    }
    if (counted) gpus++;
  }
  return gpus === 0 ? null : { kwh: joules / JOULES_PER_KWH, gpus };
}

/** Energy cost of a pool-hour at the pool's electricity price, in exact 1e-12 USD (kWh is a measurement, not money). */
export function energyCostUsd(kwh: number, usdPerKwh: string): string {
  return new Decimal(kwh).times(usdPerKwh).toDecimalPlaces(12, Decimal.ROUND_HALF_UP).toFixed(12);
}
