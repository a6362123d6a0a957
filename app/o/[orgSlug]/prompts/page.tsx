"use client";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { bucketLabel } from "../../../_charts/prepare-stacked-series.ts";
import { formatCount, formatPercent, formatUsd } from "../../../_charts/format.ts";
import { SimpleLineChart } from "../../../_components/charts/line-chart.tsx";
import { SendDataHelp } from "../../../_components/send-data-help.tsx";
import { EmptyState, ErrorState, Loading } from "../../../_components/states.tsx";
import { useTRPC } from "../../../_trpc/react.tsx";

export default function PromptsPage() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const trpc = useTRPC();
  const q = useQuery(trpc.costs.promptGrowth.queryOptions({ orgSlug }));
  return (
    <section>
      <h1>Prompts</h1>
      <p className="muted">
        Median input tokens per call, per feature and prompt: the last 7 days against the 28 days before (UTC days).
        The monthly $ impact prices the extra tokens at the prompt&apos;s model input price for the recent call volume.
      </p>
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.length === 0 ? (
        <EmptyState title="No named prompts yet">
          <p>Tag calls with <code>inferledger.prompt.name</code> (or <code>gen_ai.prompt.name</code>) and, optionally, <code>inferledger.prompt.version</code> and <code>inferledger.prompt.system_tokens</code>.</p>
          <SendDataHelp />
        </EmptyState>
      ) : (
        q.data.map((p) => (
          <section className="panel" key={`${p.feature}/${p.promptName}`}>
            <div className="page-head">
              <h2>{p.feature} · {p.promptName}</h2>
              <span className={p.growthRatio !== null && p.growthRatio > 0.1 ? "badge bad" : "badge"}>
                {p.growthRatio === null ? "no baseline" : `${formatPercent(p.growthRatio, true)} input tokens/call`}
                {p.monthlyImpactUsd !== null && ` · ${Number(p.monthlyImpactUsd) >= 0 ? "+" : ""}${formatUsd(p.monthlyImpactUsd)}/month`}
              </span>
            </div>
            <p className="muted">
              Input tokens/call {formatCount(p.baselineInputTokens)} → {formatCount(p.recentInputTokens)}
              {p.recentSystemTokens !== null && <> · system prompt {formatCount(p.baselineSystemTokens)} → {formatCount(p.recentSystemTokens)} tokens</>}
              {" · "}versions {p.versionsBefore.join(", ") || "—"} → {p.versionsNow.join(", ") || "—"} · {p.recentCallsPerDay} calls/day
            </p>
            <SimpleLineChart
              rows={p.series.map((s) => ({ bucket: s.day, input: s.p50InputTokens, system: s.p50SystemTokens }))}
              series={[{ key: "input", label: "p50 input tokens/call", color: "#1f5fbf" }, { key: "system", label: "p50 system-prompt tokens", color: "#e07b00" }]}
              yLabel="tokens per call"
              formatY={(v) => formatCount(Math.round(v))}
              formatX={(b) => bucketLabel(b, "day")}
            />
          </section>
        ))
      )}
    </section>
  );
}
