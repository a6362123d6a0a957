"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { Suspense } from "react";
import { formatCount, formatPercent, formatUsd } from "../../../_charts/format.ts";
import { UtilizationHeatmap } from "../../../_components/charts/heatmap.tsx";
import { PeriodPicker, usePeriod } from "../../../_components/period-picker.tsx";
import { EmptyState, ErrorState, Loading } from "../../../_components/states.tsx";
import { useTRPC } from "../../../_trpc/react.tsx";
import { CalibrationPanel } from "./_parts/calibration-panel.tsx";

function Pools() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const period = usePeriod();
  const trpc = useTRPC();
  const q = useQuery(trpc.gpuPools.usage.queryOptions({ orgSlug, period }));
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (q.data.length === 0) {
    return (
      <EmptyState title="No GPU pools">
        <p>
          Define a pool in <Link href={`/o/${orgSlug}/settings/gpu-pools`}>Settings → GPU pools</Link> and send GPU metrics
          (dcgm-exporter through an OpenTelemetry Collector, or OTel <code>hw.gpu.*</code>) to <code>/v1/metrics</code>.
        </p>
      </EmptyState>
    );
  }
  return (
    <>
      {q.data.map((p) => (
        <section className="panel" key={p.poolId}>
          <h2>{p.name} · {p.gpuCount} × {p.gpuType} at {formatUsd(p.usdPerGpuHour)}/GPU-hour</h2>
          <div className="kpis">
            <div className="kpi"><div className="kpi-label">GPU cost</div><div className="kpi-value">{formatUsd(p.costUsd)}</div></div>
            <div className="kpi"><div className="kpi-label">Busy (attributed to calls)</div><div className="kpi-value">{formatUsd(p.busyCostUsd)}</div></div>
            <div className="kpi"><div className="kpi-label">Idle</div><div className="kpi-value bad">{formatUsd(p.idleCostUsd)}</div></div>
            <div className="kpi"><div className="kpi-label">Mean utilization</div><div className="kpi-value">{formatPercent(p.meanUtilization)}</div></div>
            <div className="kpi" title="from the GPUs' cumulative energy counters (DCGM total energy)">
              <div className="kpi-label">GPU energy</div>
              <div className="kpi-value">{p.energy ? `${p.energy.kwh.toFixed(1)} kWh` : "—"}</div>
              {!p.energy && <div className="muted">no energy counters reported</div>}
              {p.energy && (
                <div className="muted">
                  {(p.energy.kwh / p.energy.hoursMeasured).toFixed(2)} kWh per pool-hour{p.energy.costUsd !== null ? <>, {formatUsd(p.energy.costUsd)} in GPU cost</> : <>, not in cost (no $/kWh)</>}
                </div>
              )}
            </div>
            <div className="kpi" title="pool cost incl. idle ÷ output tokens"><div className="kpi-label">Achieved $ / 1M output tokens</div><div className="kpi-value">{formatUsd(p.usdPerMillionOutputTokens)}</div></div>
          </div>
          <p className="muted">{formatCount(p.calls)} calls, {formatCount(p.outputTokens)} output tokens in the period.</p>
          <BusyBasis basis={p.busyBasis} />
          {p.hours.length === 0 ? <p className="muted">No GPU samples in this period.</p> : <UtilizationHeatmap cells={p.hours} />}
          <CalibrationPanel orgSlug={orgSlug} poolId={p.poolId} period={period} />
        </section>
      ))}
    </>
  );
}

/** Says how busy cost reached the calls: modelled GPU-seconds (throughput model) or tokens, and why tokens. */
function BusyBasis({ basis }: { basis: { gpuSecondsHours: number; tokenHours: number; fallbackReasons: string[] } }) {
  if (basis.gpuSecondsHours + basis.tokenHours === 0) return null;
  return (
    <p className="muted" data-testid="busy-basis">
      Busy cost split over calls by modelled GPU-seconds (prefill + decode) in {formatCount(basis.gpuSecondsHours)} pool-hours
      {basis.tokenHours > 0 ? <>, by tokens in {formatCount(basis.tokenHours)} ({basis.fallbackReasons.join("; ")})</> : null}.
    </p>
  );
}

export default function GpusPage() {
  return (
    <section>
      <div className="page-head">
        <h1>GPUs</h1>
        <Suspense><PeriodPicker /></Suspense>
      </div>
      <Suspense fallback={<Loading />}><Pools /></Suspense>
    </section>
  );
}
