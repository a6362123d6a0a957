"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { Suspense } from "react";
import { relativeChange } from "~/server/domain/costs/period.ts";
import { bucketLabel, bucketStarts, prepareStackedSeries } from "../../../_charts/prepare-stacked-series.ts";
import { formatCount, formatIpd, formatPercent, formatUsd } from "../../../_charts/format.ts";
import { StackedBarChart } from "../../../_components/charts/stacked-bar-chart.tsx";
import { KpiCard } from "../../../_components/kpi-card.tsx";
import { PeriodPicker, usePeriod } from "../../../_components/period-picker.tsx";
import { SendDataHelp } from "../../../_components/send-data-help.tsx";
import { EmptyState, ErrorState, Loading } from "../../../_components/states.tsx";
import { useTRPC } from "../../../_trpc/react.tsx";

function Overview() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const period = usePeriod();
  const trpc = useTRPC();
  const q = useQuery(trpc.costs.overview.queryOptions({ orgSlug, period }));
  const alerts = useQuery(trpc.alerts.events.queryOptions({ orgSlug, status: "open" }));
  if (q.isPending) return <Loading label="Loading overview…" />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const { current, previous, series, period: p, topMovers, unpricedModels } = q.data;
  if (current.calls === 0 && current.tasks === 0 && current.idleGpuCostUsd === "0.000000000000") {
    return (
      <EmptyState title="No calls in this period">
        <SendDataHelp />
      </EmptyState>
    );
  }
  const buckets = bucketStarts(p.from, p.to, p.bucket);
  const byFeature = prepareStackedSeries(series.map((s) => ({ bucket: s.bucket, series: s.feature || "(idle GPU, no calls)", value: Number(s.costUsd) })), { topN: 6, buckets });
  const byKind = prepareStackedSeries(
    series.flatMap((s) => [
      { bucket: s.bucket, series: "API", value: Number(s.apiCostUsd) },
      { bucket: s.bucket, series: "GPU (busy)", value: Number(s.gpuCostUsd) },
      { bucket: s.bucket, series: "GPU (idle)", value: Number(s.idleGpuCostUsd) },
    ]),
    { topN: 3, buckets },
  );
  const usdAxis = (v: number) => formatUsd(v);
  const label = (b: string) => bucketLabel(b, p.bucket);
  return (
    <>
      <div className="kpis">
        <KpiCard label="Spend" value={formatUsd(current.costUsd)} change={relativeChange(Number(current.costUsd), Number(previous.costUsd))} goodWhenDown />
        <KpiCard label="IPD (successful tasks per $)" value={formatIpd(current.ipd)} change={relativeChange(current.ipd ?? NaN, previous.ipd ?? NaN)} />
        <KpiCard label="Cost per successful task" value={formatUsd(current.costPerSuccessfulTaskUsd)} change={relativeChange(Number(current.costPerSuccessfulTaskUsd ?? NaN), Number(previous.costPerSuccessfulTaskUsd ?? NaN))} goodWhenDown />
        <KpiCard label="Cost per 1k tokens" value={formatUsd(current.costPer1kTokensUsd)} change={relativeChange(Number(current.costPer1kTokensUsd ?? NaN), Number(previous.costPer1kTokensUsd ?? NaN))} goodWhenDown hint="total spend (API + GPU + idle GPU) per 1,000 input + output tokens" />
        <KpiCard label="Waste share" value={formatPercent(current.wasteShare)} change={relativeChange(current.wasteShare ?? NaN, previous.wasteShare ?? NaN)} goodWhenDown hint="(retry waste + failed calls + idle GPU) / spend" />
        <KpiCard label="Unpriced calls" value={formatCount(current.unpricedCalls)} change={relativeChange(current.unpricedCalls, previous.unpricedCalls)} goodWhenDown hint="calls with no known price: counted, never $0" />
      </div>
      <section className="panel">
        <h2>Spend by feature (USD per {p.bucket})</h2>
        <StackedBarChart chart={byFeature} yLabel="USD" formatY={usdAxis} formatX={label} />
      </section>
      <section className="panel">
        <h2>API vs. self-hosted GPU vs. idle GPU (USD per {p.bucket})</h2>
        <StackedBarChart chart={byKind} yLabel="USD" formatY={usdAxis} formatX={label} height={220} />
      </section>
      {alerts.data && alerts.data.length > 0 && (
        <section className="panel" aria-label="Open alerts">
          <h2>Open alerts</h2>
          <ul className="alert-list">
            {alerts.data.slice(0, 5).map((e) => (
              <li key={e.id}>
                <Link href={`/o/${orgSlug}/alerts`}>{e.title}</Link>
                {e.monthlyImpactUsd && <span className="badge bad">{formatUsd(e.monthlyImpactUsd)}/month</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="two-col">
        <section className="panel">
          <h2>Top movers vs. previous period</h2>
          <table>
            <thead>
              <tr><th scope="col">Feature</th><th scope="col">Spend</th><th scope="col">Previous</th><th scope="col">Change</th></tr>
            </thead>
            <tbody>
              {topMovers.map((m) => (
                <tr key={m.feature}>
                  <td><Link href={`/o/${orgSlug}/features?feature=${encodeURIComponent(m.feature)}&period=${period}`}>{m.feature || "(idle GPU, no calls)"}</Link></td>
                  <td>{formatUsd(m.costUsd)}</td>
                  <td>{formatUsd(m.previousCostUsd)}</td>
                  <td className={Number(m.deltaUsd) > 0 ? "bad" : "good"}>{Number(m.deltaUsd) > 0 ? "+" : ""}{formatUsd(m.deltaUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <h2>Unpriced models</h2>
          {unpricedModels.length === 0 ? (
            <p className="muted">Every call in this period has a price.</p>
          ) : (
            <table>
              <thead><tr><th scope="col">Provider</th><th scope="col">Model</th><th scope="col">Calls</th></tr></thead>
              <tbody>
                {unpricedModels.map((m) => (
                  <tr key={`${m.provider}/${m.model}`}><td>{m.provider || "—"}</td><td>{m.model || "—"}</td><td>{formatCount(m.calls)}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}

export default function OverviewPage() {
  return (
    <section>
      <div className="page-head">
        <h1>Overview</h1>
        <Suspense>
          <PeriodPicker />
        </Suspense>
      </div>
      <Suspense fallback={<Loading />}>
        <Overview />
      </Suspense>
    </section>
  );
}
