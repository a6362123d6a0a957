import { resolvePeriod, type PeriodPreset } from "../../domain/costs/period.ts";
import { calibratePool, type PoolCalibration, type PoolObservation } from "../../domain/gpu-model/calibration.ts";
import { findGpu, findModel, type Precision } from "../../domain/gpu-model/catalog.ts";
import { catalogModelIdFor } from "../../domain/gpu-model/model-names.ts";
import { NotFoundError, ValidationError } from "../../errors.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";

export type PoolCalibrationReport = {
  poolId: string;
  gpuId: string;
  modelId: string | null; // catalog model the pool serves; null → cannot calibrate
  precision: Precision;
  replicas: number;
  tensorParallel: number;
  calibration: PoolCalibration | null;
  reason: string | null; // why there is no calibration
};

/**
 * Calibrates the GPU model on one of the org's pools: per hour of the period, the tokens its calls produced
 * (observed tokens/s) against the pool's mean GPU utilization from telemetry; the pool's GPUs form one
 * tensor-parallel replica unless `tensorParallel` splits them into several.
 */
export async function calibrateGpuPool({ ctx, poolId, preset, precision, tensorParallel, nowMs }: { ctx: OrgContext; poolId: string; preset: PeriodPreset; precision: Precision; tensorParallel?: number; nowMs: number }): Promise<PoolCalibrationReport> {
  requirePermission(ctx, "costs:read");
  const pool = await ctx.db.prisma.gpuPool.findFirst({ where: { id: poolId, orgId: ctx.org.id } });
  if (!pool) throw new NotFoundError("GPU pool", poolId);
  const tp = tensorParallel ?? pool.gpuCount;
  if (pool.gpuCount % tp !== 0) throw new ValidationError(`${pool.gpuCount} GPUs do not split into replicas of ${tp}`);
  const gpu = findGpu(pool.gpuType);
  const modelId = pool.servesModels.map(catalogModelIdFor).find((m) => m !== null) ?? null;
  const base = { poolId, gpuId: pool.gpuType, modelId, precision, replicas: pool.gpuCount / tp, tensorParallel: tp };
  if (!gpu) return { ...base, calibration: null, reason: `GPU type ${pool.gpuType} is not in the GPU catalog` };
  if (!modelId) return { ...base, calibration: null, reason: `none of the served models (${pool.servesModels.join(", ") || "none listed"}) is in the model catalog` };
  const p = resolvePeriod(preset, nowMs);
  const { rows } = await ctx.db.pool.query<{ hour: Date; util: number; calls: string; input: string; output: string }>(
    `SELECT ph.hour, ph.mean_utilization AS util, coalesce(s.calls, 0) AS calls, coalesce(s.input, 0) AS input, coalesce(s.output, 0) AS output
     FROM gpu_pool_hours ph
     LEFT JOIN LATERAL (
       SELECT count(*) AS calls, sum(coalesce(input_tokens, 0)) AS input, sum(coalesce(output_tokens, 0)) AS output FROM spans
       WHERE org_id = ph.org_id AND pool_id = ph.pool_id AND is_llm_call AND start_time >= ph.hour AND start_time < ph.hour + interval '1 hour'
     ) s ON true
     WHERE ph.org_id = $1 AND ph.pool_id = $2 AND ph.hour >= $3 AND ph.hour < $4 ORDER BY ph.hour`,
    [ctx.org.id, poolId, p.from, p.to],
  );
  const observations: PoolObservation[] = rows.map((r) => ({ hourStartMs: r.hour.getTime(), gpuUtilization: r.util, calls: Number(r.calls), inputTokens: Number(r.input), outputTokens: Number(r.output) }));
  const calibration = calibratePool({ gpu, model: findModel(modelId)!, gpus: tp, precision }, base.replicas, observations);
  if (calibration.usedHours === 0) return { ...base, calibration: null, reason: "no hour in the period has both GPU telemetry (≥ 5 % busy) and served calls" };
  return { ...base, calibration, reason: null };
}
