"use client";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { toCsv } from "~/server/domain/costs/csv.ts";
import { formatCount, formatUsd } from "../../../_charts/format.ts";
import { downloadCsv } from "../../../_components/download-csv.ts";
import { SendDataHelp } from "../../../_components/send-data-help.tsx";
import { EmptyState, ErrorState, Loading } from "../../../_components/states.tsx";
import { useTRPC } from "../../../_trpc/react.tsx";

type Row = { key: Record<string, string | undefined>; costUsd: string; calls: number; inputTokens: number; outputTokens: number; unpricedCalls: number };

function SpendTable({ title, rows, dims }: { title: string; rows: Row[]; dims: string[] }) {
  const sorted = [...rows].sort((a, b) => Number(b.costUsd) - Number(a.costUsd));
  return (
    <section className="panel">
      <h2>{title}</h2>
      <table>
        <thead><tr>{dims.map((d) => <th scope="col" key={d}>{d}</th>)}<th scope="col">Spend (USD)</th><th scope="col">Calls</th><th scope="col">Input / output tokens</th></tr></thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={dims.map((d) => r.key[d]).join("/")}>
              {dims.map((d) => <td key={d}>{r.key[d] || "(none)"}</td>)}
              <td>{formatUsd(r.costUsd)}</td>
              <td>{formatCount(r.calls)}{r.unpricedCalls > 0 && <span className="badge">{r.unpricedCalls} unpriced</span>}</td>
              <td>{formatCount(r.inputTokens)} / {formatCount(r.outputTokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export default function PricingReviewPage() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const trpc = useTRPC();
  const q = useQuery(trpc.costs.pricingReview.queryOptions({ orgSlug }));
  if (q.isPending) return <Loading label="Preparing the review…" />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const r = q.data;
  const exportCsv = () => {
    const header = ["section", "provider", "model", "feature", "costUsd", "calls", "inputTokens", "outputTokens"];
    const lines: string[][] = [];
    for (const x of r.byModel) lines.push(["model", x.key.provider ?? "", x.key.model ?? "", "", x.costUsd, String(x.calls), String(x.inputTokens), String(x.outputTokens)]);
    for (const x of r.byFeature) lines.push(["feature", "", "", x.key.feature ?? "", x.costUsd, String(x.calls), String(x.inputTokens), String(x.outputTokens)]);
    for (const m of r.samePriced) for (const a of m.alternatives) lines.push(["same-usage-at", a.provider, a.model, `${m.provider}/${m.model}`, a.costUsd, String(m.calls), String(m.inputTokens), String(m.outputTokens)]);
    downloadCsv({ filename: `pricing-review-${r.period.to.slice(0, 10)}.csv`, csv: toCsv(header, lines) });
  };
  return (
    <section className="report">
      <div className="page-head">
        <h1>Pricing review</h1>
        <div className="no-print">
          <button type="button" onClick={exportCsv}>Export CSV</button>{" "}
          <button type="button" onClick={() => window.print()}>Print</button>
        </div>
      </div>
      <p className="muted">{r.period.from.slice(0, 10)} → {r.period.to.slice(0, 10)} (90 days, UTC) · total {formatUsd(r.totals.costUsd)} · API {formatUsd(r.totals.apiCostUsd)} · GPU {formatUsd(r.totals.gpuCostUsd)} · idle GPU {formatUsd(r.totals.idleGpuCostUsd)}</p>
      {r.totals.calls === 0 ? (
        <EmptyState title="No spend in the last 90 days"><SendDataHelp /></EmptyState>
      ) : (
        <>
          <section className="panel">
            <h2>Recommendations, ranked by $ saved over the period</h2>
            {r.recommendations.length === 0 ? <p className="muted">Nothing obvious to save.</p> : (
              <ol>{r.recommendations.map((x) => <li key={x.title}><strong>{x.title}</strong> — save up to {formatUsd(x.savingUsdPerPeriod)}. <span className="muted">{x.detail}</span></li>)}</ol>
            )}
          </section>
          <SpendTable title="Spend by provider" rows={r.byProvider} dims={["provider"]} />
          <SpendTable title="Spend by model" rows={r.byModel} dims={["provider", "model"]} />
          <SpendTable title="Spend by feature" rows={r.byFeature} dims={["feature"]} />
          <section className="panel">
            <h2>Price changes in the period</h2>
            {r.priceChanges.length === 0 ? <p className="muted">No price overrides were added or changed.</p> : (
              <table>
                <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Change</th><th scope="col">Calls re-priced</th><th scope="col">$ effect</th></tr></thead>
                <tbody>{r.priceChanges.map((c) => <tr key={c.at + c.action}><td>{c.at.slice(0, 10)}</td><td>{c.actor}</td><td>{c.action} {JSON.stringify(c.change).slice(0, 80)}</td><td>{formatCount(c.repricedCalls)}</td><td>{formatUsd(c.deltaUsd)}</td></tr>)}</tbody>
              </table>
            )}
          </section>
          <section className="panel">
            <h2>The same usage at other providers&apos; current prices</h2>
            {r.samePriced.map((m) => (
              <div key={`${m.provider}/${m.model}`}>
                <h3>{m.provider} / {m.model}: {formatUsd(m.apiCostUsd)} for {formatCount(m.calls)} calls</h3>
                <table>
                  <thead><tr><th scope="col">Alternative</th><th scope="col">Same tokens would cost</th><th scope="col">Difference</th></tr></thead>
                  <tbody>{m.alternatives.map((a) => <tr key={a.model}><td>{a.provider} / {a.model}</td><td>{formatUsd(a.costUsd)}</td><td className={Number(a.savingUsd) > 0 ? "good" : "bad"}>{Number(a.savingUsd) > 0 ? `saves ${formatUsd(a.savingUsd)}` : `costs ${formatUsd(-Number(a.savingUsd))} more`}</td></tr>)}</tbody>
                </table>
              </div>
            ))}
          </section>
        </>
      )}
    </section>
  );
}
