"use client";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { Suspense, useMemo, useState } from "react";
import { decodeTrafficColumns, indexTraffic, runWhatIf, type WhatIfResult } from "~/server/domain/whatif/index.ts";
import { formatCount } from "../../../_charts/format.ts";
import { PeriodPicker, usePeriod } from "../../../_components/period-picker.tsx";
import { EmptyState, ErrorState, Loading } from "../../../_components/states.tsx";
import { useTRPC } from "../../../_trpc/react.tsx";
import { CompareTable } from "./_parts/compare-table.tsx";
import { ExplorerPanel } from "./_parts/explorer-panel.tsx";
import { ResultsPanel } from "./_parts/results-panel.tsx";
import { SavedPanel, type SavedScenarioView } from "./_parts/saved-panel.tsx";
import { newItem, ScenarioBuilder, type ScenarioItem } from "./_parts/scenario-builder.tsx";
import { trafficChoices } from "./_parts/traffic-context.ts";
import { withExistingPools } from "./_parts/with-existing-pools.ts";

/** What-if: the org's hourly traffic of the period replayed under scenarios, by the pure engine in the browser. */
function WhatIf() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const period = usePeriod();
  const trpc = useTRPC();
  const traffic = useQuery(trpc.whatif.traffic.queryOptions({ orgSlug, period }));
  const org = useQuery(trpc.orgs.get.queryOptions({ orgSlug }));
  const saved = useQuery(trpc.whatif.scenarios.queryOptions({ orgSlug }));
  const [items, setItems] = useState<ScenarioItem[]>([]);
  const [compareIds, setCompareIds] = useState<string[]>([]);
  const wire = traffic.data;
  const data = useMemo(() => (wire ? { ...wire, rows: decodeTrafficColumns(wire.columns) } : undefined), [wire]);
  const index = useMemo(() => (data ? indexTraffic(data.rows, { startMs: data.period.startMs, endMs: data.period.endMs }) : null), [data]);
  const choices = useMemo(() => (data ? trafficChoices(data.rows, data.prices, data.pools) : null), [data]);
  const run = useMemo((): { result: WhatIfResult | null; error: string | null } => {
    if (!index || !data) return { result: null, error: null };
    try {
      return { result: withExistingPools(runWhatIf(index, items.map((i) => i.scenario), { prices: data.prices }), data.actualGpus), error: null };
    } catch (e) {
      return { result: null, error: (e as Error).message };
    }
  }, [index, data, items]);

  if (traffic.isPending) return <Loading label="Loading the period's traffic…" />;
  if (traffic.error) return <ErrorState error={traffic.error} onRetry={() => void traffic.refetch()} />;
  if (!index || !choices || !data) return null;
  const explorer = <ExplorerPanel index={index} meanInputTokens={choices.meanInputTokensPerCall} meanOutputTokens={choices.meanOutputTokensPerCall} defaultUsdPerGpuHour={choices.poolUsdPerGpuHour ?? "2.49"} onAdd={(s) => setItems([...items, newItem(s)])} />;
  if (data.rows.length === 0) {
    return (
      <>
        <EmptyState title="No traffic in this period">
          <p>What-ifs replay your own hourly traffic. Send LLM spans to the collector (Settings → API keys), or pick a longer period. The GPU model below works without traffic.</p>
        </EmptyState>
        {explorer}
      </>
    );
  }
  const comparing = (saved.data ?? []).filter((s) => compareIds.includes(s.id) && s.invalid === null) as SavedScenarioView[];
  return (
    <>
      <p className="muted">
        {formatCount(data.rows.length)} hourly rows, {choices.features.length} features, {formatCount(index.hours)} hours (UTC) · prices: your contract prices where set, else the catalog.
        {data.unpricedCalls > 0 && <span className="error"> {formatCount(data.unpricedCalls)} API calls have no price: they count as calls but not in any cost (unpriced, not $0).</span>}
      </p>
      <ScenarioBuilder items={items} choices={choices} onChange={setItems} />
      {run.error ? <div className="error-state" role="alert"><p>This combination cannot be simulated: {run.error}</p></div> : run.result && <ResultsPanel result={run.result} />}
      {explorer}
      <SavedPanel
        orgSlug={orgSlug}
        current={items.map((i) => i.scenario)}
        canSave={org.data?.permissions.includes("scenarios:manage") ?? false}
        compareIds={compareIds}
        onCompare={setCompareIds}
        onLoad={(s) => setItems(s.scenarios.map(newItem))}
      />
      <CompareTable index={index} prices={data.prices} actualGpus={data.actualGpus} saved={comparing} />
    </>
  );
}

export default function WhatIfPage() {
  return (
    <section>
      <div className="page-head">
        <h1>What-if simulations</h1>
        <Suspense><PeriodPicker /></Suspense>
      </div>
      <Suspense fallback={<Loading />}><WhatIf /></Suspense>
    </section>
  );
}
