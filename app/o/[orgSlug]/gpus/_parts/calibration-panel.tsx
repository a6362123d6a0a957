"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { PRECISIONS, type Precision } from "~/server/domain/gpu-model/catalog.ts";
import type { PeriodPreset } from "~/server/domain/costs/period.ts";
import { formatCount } from "../../../../_charts/format.ts";
import { ErrorState, Loading } from "../../../../_components/states.tsx";
import { useTRPC } from "../../../../_trpc/react.tsx";

const tps = (v: number) => `${v < 10 ? v.toFixed(2) : formatCount(Math.round(v))} tokens/s`;
const hourLabel = (ms: number) => new Date(ms).toISOString().slice(5, 13).replace("T", " ") + "h";

/** The GPU model calibrated on this pool: observed output tokens/s per hour vs predicted from its GPU utilization. */
export function CalibrationPanel({ orgSlug, poolId, period }: { orgSlug: string; poolId: string; period: PeriodPreset }) {
  const trpc = useTRPC();
  const [precision, setPrecision] = useState<Precision>("fp8");
  const q = useQuery(trpc.gpuPools.calibration.queryOptions({ orgSlug, id: poolId, period, precision }));
  return (
    <div className="calibration" aria-label="Model calibration">
      <h3>GPU model: predicted vs observed</h3>
      <label className="checkbox">
        Weights precision the pool serves
        <select aria-label="Served precision" value={precision} onChange={(e) => setPrecision(e.target.value as Precision)}>{PRECISIONS.map((p) => <option key={p} value={p}>{p}</option>)}</select>
      </label>
      {q.isPending ? <Loading /> : q.error ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : q.data.calibration === null ? (
        <p className="muted">Not calibrated: {q.data.reason}.</p>
      ) : (
        <>
          <p className="muted">
            {q.data.modelId} at {precision} on {q.data.replicas} × {q.data.tensorParallel} {q.data.gpuId}; predicted = GPU utilization × the model&apos;s
            offline capacity at each hour&apos;s mean request size. Fitted efficiency scale ×{q.data.calibration.scale.toFixed(3)}{q.data.calibration.scale <= 0.0501 ? " (the fit's lower bound)" : ""}; median error {q.data.calibration.medianAbsErrorPctBefore.toFixed(0)}% before,{" "}
            <span data-testid="calibration-error-after">{q.data.calibration.medianAbsErrorPctAfter.toFixed(0)}%</span> after, over {q.data.calibration.usedHours} hours ({q.data.calibration.skippedHours} skipped: under 5 % busy or no calls).
            {q.data.calibration.medianAbsErrorPctAfter > 50 && " Large errors mean the utilization metric does not track the served tokens (e.g. the pool does other work, or the metric counts kernel time, not throughput)."}
          </p>
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={q.data.calibration.points} margin={{ top: 8, right: 12, left: 12, bottom: 18 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="hourStartMs" type="number" domain={["dataMin", "dataMax"]} tickFormatter={hourLabel} fontSize={11} label={{ value: "hour (UTC)", position: "insideBottom", offset: -10, fontSize: 12 }} />
              <YAxis scale="log" domain={["auto", "auto"]} allowDataOverflow tickFormatter={(v: number) => formatCount(Number(v.toPrecision(2)))} fontSize={11} width={70} label={{ value: "tokens/s (log)", angle: -90, position: "insideLeft", fontSize: 12 }} />
              <Tooltip formatter={(v) => tps(Number(v))} labelFormatter={(l) => hourLabel(Number(l))} />
              <Legend verticalAlign="top" />
              <Line dataKey="observedTokensPerSecond" name="observed" stroke="#067647" dot={false} isAnimationActive={false} />
              <Line dataKey="predictedTokensPerSecond" name="predicted (calibrated)" stroke="#1f5fbf" dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </>
      )}
    </div>
  );
}
