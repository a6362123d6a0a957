"use client";
import { useQuery } from "@tanstack/react-query";
import { formatCount, formatPercent, formatUsd } from "../../../../_charts/format.ts";
import { HistogramChart } from "../../../../_components/charts/histogram-chart.tsx";
import { ErrorState, Loading } from "../../../../_components/states.tsx";
import { useTRPC } from "../../../../_trpc/react.tsx";
import type { PeriodPreset } from "~/server/domain/costs/period.ts";
import { bucketLabel } from "~/server/domain/costs/cost-distribution.ts";

/** The top of a feature's page: what a task of it costs (distribution), how its tasks behave, its token mix and prompts. */
export function FeatureDetail({ orgSlug, feature, period }: { orgSlug: string; feature: string; period: PeriodPreset }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.costs.featureDetail.queryOptions({ orgSlug, feature, period }));
  if (q.isPending) return <Loading label="Loading the feature…" />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const { distribution: d, shape, totals, prompts } = q.data;
  const edges = d.buckets.map((b) => b.fromUsd);
  const bars = d.buckets.map((b, i) => ({ label: bucketLabel(edges, i), successful: b.successfulTasks, other: b.otherTasks }));
  const uncachedInput = totals.inputTokens - totals.cachedInputTokens - totals.cacheWriteTokens;
  return (
    <>
      <div className="kpis">
        <Stat label="Cost per task, median (p50)" value={formatUsd(d.p50Usd)} />
        <Stat label="Cost per task, p90 / p99" value={`${formatUsd(d.p90Usd)} / ${formatUsd(d.p99Usd)}`} />
        <Stat label="Tasks (success rate)" value={`${formatCount(shape.tasks)} (${formatPercent(shape.tasks ? shape.successfulTasks / shape.tasks : null)})`} />
        <Stat label="Calls per task, mean / max" value={`${shape.meanCallsPerTask === null ? "—" : shape.meanCallsPerTask.toFixed(1)} / ${formatCount(shape.maxCallsPerTask)}`} />
        <Stat label="Runaway loops · retried calls" value={`${formatCount(shape.loopTasks)} · ${formatCount(shape.retryCalls)}`} />
      </div>
      <div className="two-col">
        <section className="panel">
          <h2>Cost per task (tasks per USD bucket)</h2>
          {bars.length === 0 ? (
            <p className="muted">No fully priced tasks of this feature in the period.</p>
          ) : (
            <HistogramChart bars={bars} xLabel="cost per task (USD)" yLabel="tasks" series={[{ key: "successful", name: "successful", color: "#2563eb" }, { key: "other", name: "failed", color: "#dc2626" }]} />
          )}
          {d.tasksWithUnpricedCalls > 0 && <p className="muted">{formatCount(d.tasksWithUnpricedCalls)} task(s) with unpriced calls are not in the distribution (their cost is only a lower bound).</p>}
        </section>
        <section className="panel">
          <h2>Tokens in the period</h2>
          <table>
            <tbody>
              <tr><th scope="row">Input, uncached</th><td>{formatCount(uncachedInput)} tokens</td></tr>
              <tr><th scope="row">Input, cache reads</th><td>{formatCount(totals.cachedInputTokens)} tokens ({formatPercent(totals.inputTokens ? totals.cachedInputTokens / totals.inputTokens : null)} of input)</td></tr>
              <tr><th scope="row">Input, cache writes</th><td>{formatCount(totals.cacheWriteTokens)} tokens</td></tr>
              <tr><th scope="row">Output (incl. reasoning)</th><td>{formatCount(totals.outputTokens)} tokens ({formatCount(totals.reasoningTokens)} reasoning)</td></tr>
              <tr><th scope="row">Retry waste · failed calls</th><td>{formatUsd(totals.retryCostUsd)} · {formatUsd(totals.failedCostUsd)}</td></tr>
            </tbody>
          </table>
          <h3>Prompt growth (last 7 days vs the 28 before)</h3>
          {prompts.length === 0 ? <p className="muted">No named prompts (set <code>inferledger.prompt.name</code> on calls to track them).</p> : (
            <ul className="alert-list">
              {prompts.map((g) => (
                <li key={g.promptName}>
                  <strong>{g.promptName}</strong>:{" "}
                  {g.growthRatio === null || g.baselineInputTokens === null || g.recentInputTokens === null ? (
                    <span className="muted">no baseline yet — growth needs calls in both the last 7 days and the 28 before</span>
                  ) : (
                    <>{formatCount(Math.round(g.baselineInputTokens))} → {formatCount(Math.round(g.recentInputTokens))} input tokens/call ({formatPercent(g.growthRatio, true)}){g.monthlyImpactUsd !== null && <> · {formatUsd(g.monthlyImpactUsd)}/month</>}</>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
    </div>
  );
}
