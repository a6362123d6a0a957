"use client";
import { useMemo } from "react";
import { runWhatIf, type ApiPrice, type TrafficIndex, type WhatIfResult } from "~/server/domain/whatif/index.ts";
import { formatUsd } from "../../../../_charts/format.ts";
import { METRICS } from "./results-panel.tsx";
import type { SavedScenarioView } from "./saved-panel.tsx";
import { withExistingPools, type ActualGpus } from "./with-existing-pools.ts";

type Column = { name: string; result: WhatIfResult | null; error: string | null };

/** Saved scenario lists side by side over the same period's traffic (computed in the browser). */
export function CompareTable({ index, prices, actualGpus, saved }: { index: TrafficIndex; prices: readonly ApiPrice[]; actualGpus: ActualGpus; saved: SavedScenarioView[] }) {
  const columns: Column[] = useMemo(() => saved.map((s) => {
    try {
      return { name: s.name, result: withExistingPools(runWhatIf(index, s.scenarios, { prices }), actualGpus), error: null };
    } catch (e) {
      return { name: s.name, result: null, error: (e as Error).message };
    }
  }), [index, prices, actualGpus, saved]);
  if (saved.length === 0) return null;
  const actual = columns.find((c) => c.result)?.result?.actual ?? null;
  return (
    <section className="panel" aria-label="Comparison">
      <h2>Compare saved scenarios</h2>
      {saved.length < 2 && <p className="muted">Tick a second saved scenario to compare side by side.</p>}
      <table data-testid="compare-table">
        <thead><tr><th>Metric</th><th>Actual period</th>{columns.map((c) => <th key={c.name}>{c.name}</th>)}</tr></thead>
        <tbody>
          {METRICS.map((m) => (
            <tr key={m.label}>
              <td>{m.label}</td>
              <td>{actual ? m.value(actual) : "—"}</td>
              {columns.map((c) => <td key={c.name}>{c.result ? m.value(c.result.scenario) : <span className="error">{c.error}</span>}</td>)}
            </tr>
          ))}
          <tr>
            <td>Difference vs actual (USD/month)</td><td>—</td>
            {columns.map((c) => <td key={c.name} className={c.result && Number(c.result.delta.monthlyUsd) < 0 ? "good" : "bad"}>{c.result ? formatUsd(c.result.delta.monthlyUsd) : "—"}</td>)}
          </tr>
        </tbody>
      </table>
    </section>
  );
}
