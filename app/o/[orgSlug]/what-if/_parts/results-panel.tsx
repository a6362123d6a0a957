"use client";
import Decimal from "decimal.js";
import type { PeriodTotals, WhatIfResult } from "~/server/domain/whatif/types.ts";
import { formatCount, formatIpd, formatPercent, formatUsd } from "../../../../_charts/format.ts";

const ms = (v: number | null) => (v === null ? "—" : `${v.toFixed(v < 10 ? 1 : 0)} ms`);

/** One row per metric: actual period vs the simulated one (both scaled to a 730-hour month where money). */
export const METRICS: { label: string; value: (t: PeriodTotals) => string }[] = [
  { label: "Monthly cost (USD/month)", value: (t) => formatUsd(t.monthlyCostUsd) },
  { label: "Cost per successful task (USD)", value: (t) => formatUsd(t.costPerSuccessfulTaskUsd) },
  { label: "IPD (successful tasks per USD)", value: (t) => formatIpd(t.ipd) },
  { label: "Calls in the period", value: (t) => formatCount(Math.round(t.calls)) },
  { label: "Self-hosted GPUs (count)", value: (t) => formatCount(t.gpuCount) },
  { label: "GPU utilization (time-weighted mean)", value: (t) => formatPercent(t.gpuUtilization) },
  { label: "Latency: TTFT / time per output token", value: (t) => (t.latency.ttftMs === null ? "API latency (unchanged)" : `${ms(t.latency.ttftMs)} / ${ms(t.latency.tpotMs)}`) },
];

export function ResultsPanel({ result }: { result: WhatIfResult }) {
  const delta = new Decimal(result.delta.monthlyUsd);
  const tone = delta.isZero() ? "" : delta.isNegative() ? "good" : "bad";
  return (
    <section className="panel" aria-label="Results" data-testid="whatif-results">
      <h2>Results over {formatCount(result.period.hours)} hours, scaled to a month</h2>
      <div className="kpis">
        <div className="kpi"><div className="kpi-label">Actual, USD/month</div><div className="kpi-value" data-testid="actual-monthly">{formatUsd(result.actual.monthlyCostUsd)}</div></div>
        <div className="kpi"><div className="kpi-label">Simulated, USD/month</div><div className={`kpi-value ${tone}`} data-testid="simulated-monthly">{formatUsd(result.scenario.monthlyCostUsd)}</div></div>
        <div className="kpi"><div className="kpi-label">Difference, USD/month</div><div className={`kpi-value ${tone}`}>{delta.isPositive() && !delta.isZero() ? "+" : ""}{formatUsd(result.delta.monthlyUsd)}</div><div className="kpi-change">{result.delta.pct === null ? "" : `${result.delta.pct > 0 ? "+" : ""}${result.delta.pct.toFixed(1)}%`}</div></div>
      </div>
      <table>
        <thead><tr><th>Metric</th><th>Actual period</th><th>Simulated</th></tr></thead>
        <tbody>{METRICS.map((m) => <tr key={m.label}><td>{m.label}</td><td>{m.value(result.actual)}</td><td>{m.value(result.scenario)}</td></tr>)}</tbody>
      </table>
      {result.pools.length > 0 && (
        <>
          <h3>Self-hosted pools</h3>
          <table>
            <thead><tr><th>Pool</th><th>GPUs (count)</th><th>Batch / SLO</th><th>Replica output tokens/s</th><th>Mean / peak utilization</th><th>Idle GPU-hours</th><th>GPU + ops cost (USD, period)</th><th>Overflow to API (USD, period)</th></tr></thead>
            <tbody>
              {result.pools.map((p, i) => (
                <tr key={i}>
                  <td>{p.modelId} {p.precision} on {p.replicas} × {p.gpusPerReplica} {p.gpuId}</td>
                  <td>{p.gpuCount}</td>
                  <td>{p.batch}{p.meetsSlo ? "" : " (misses SLO)"}</td>
                  <td>{formatCount(Math.round(p.replicaOutputTokensPerSecond))}</td>
                  <td>{formatPercent(p.meanUtilization)} / {formatPercent(p.peakUtilization)}</td>
                  <td>{formatCount(Math.round(p.idleGpuHours))}</td>
                  <td>{formatUsd(new Decimal(p.gpuCostUsd).plus(p.opsCostUsd).toString())}</td>
                  <td>{formatUsd(p.overflowCostUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>Where the money goes (simulated period)</h3>
      <table>
        <thead><tr><th>Destination</th><th>Cost (USD, period)</th><th>Output tokens</th></tr></thead>
        <tbody>
          {[...result.destinations].sort((a, b) => new Decimal(b.periodCostUsd).cmp(a.periodCostUsd)).map((d) => (
            <tr key={d.destination}><td>{d.destination}</td><td>{formatUsd(d.periodCostUsd)}</td><td>{formatCount(Math.round(d.outputTokens))}</td></tr>
          ))}
        </tbody>
      </table>
      {result.warnings.length > 0 && (
        <ul className="alert-list" aria-label="Warnings">{result.warnings.map((w) => <li key={w} className="muted">{w}</li>)}</ul>
      )}
    </section>
  );
}
