import { formatPercent } from "../_charts/format.ts";

/** A headline number with its change vs. the previous period; `goodWhenDown` colours cost-like metrics. */
export function KpiCard({ label, value, change, goodWhenDown = false, hint }: { label: string; value: string; change: number | null; goodWhenDown?: boolean; hint?: string }) {
  const tone = change === null || change === 0 ? "neutral" : (change < 0) === goodWhenDown ? "good" : "bad";
  return (
    <div className="kpi" title={hint}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      <div className={`kpi-change ${tone}`}>{change === null ? "no previous data" : `${formatPercent(change, true)} vs previous`}</div>
    </div>
  );
}
