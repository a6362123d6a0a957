"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { bucketStarts } from "../../../_charts/prepare-stacked-series.ts";
import { formatCount, formatIpd, formatUsd } from "../../../_charts/format.ts";
import { Sparkline } from "../../../_components/charts/sparkline.tsx";
import { PeriodPicker, usePeriod } from "../../../_components/period-picker.tsx";
import { SendDataHelp } from "../../../_components/send-data-help.tsx";
import { EmptyState, ErrorState, Loading } from "../../../_components/states.tsx";
import { useTRPC } from "../../../_trpc/react.tsx";
import { ExportTasksCsv } from "./_components/export-tasks-csv.tsx";
import { FeatureDetail } from "./_components/feature-detail.tsx";

const DIMENSIONS = [
  { key: "feature", label: "Features" },
  { key: "taskType", label: "Task types" },
  { key: "customer", label: "Customers" },
  { key: "model", label: "Models" },
  { key: "provider", label: "Providers" },
] as const;
type Dim = (typeof DIMENSIONS)[number]["key"];
type SortKey = "costUsd" | "calls" | "successfulTasks" | "costPerSuccessfulTaskUsd" | "retryCostUsd";

function Breakdown() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const period = usePeriod();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const dimension = (DIMENSIONS.find((d) => d.key === params.get("by"))?.key ?? "feature") as Dim;
  const feature = params.get("feature") ?? undefined;
  const [sort, setSort] = useState<SortKey>("costUsd");
  const trpc = useTRPC();
  const q = useQuery(trpc.costs.breakdown.queryOptions({ orgSlug, period, dimension: feature && dimension === "feature" ? "model" : dimension, feature }));
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}?${next.toString()}`);
  };
  return (
    <>
      <nav className="tabs" aria-label="Group by">
        {DIMENSIONS.map((d) => (
          <a key={d.key} href="#" aria-current={d.key === dimension ? "page" : undefined} onClick={(e) => { e.preventDefault(); setParam("by", d.key); }}>
            {d.label}
          </a>
        ))}
      </nav>
      {feature && (
        <p>
          Feature <strong>{feature}</strong> by model · <a href="#" onClick={(e) => { e.preventDefault(); setParam("feature", null); }}>all features</a> ·{" "}
          <Link href={`/o/${orgSlug}/tasks?feature=${encodeURIComponent(feature)}&period=${period}`}>its tasks</Link> ·{" "}
          <ExportTasksCsv orgSlug={orgSlug} feature={feature} period={period} />
        </p>
      )}
      {feature && <FeatureDetail orgSlug={orgSlug} feature={feature} period={period} />}
      {feature && <h2>Spend by model</h2>}
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.rows.length === 0 ? (
        <EmptyState title="No calls in this period"><SendDataHelp /></EmptyState>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{feature ? "Model" : DIMENSIONS.find((d) => d.key === dimension)!.label.replace(/s$/, "")}</th>
              {([["costUsd", "Spend"], ["calls", "Calls"], ["successfulTasks", "Successful tasks"], ["costPerSuccessfulTaskUsd", "Cost / successful task"], ["retryCostUsd", "Retry waste"]] as [SortKey, string][]).map(([k, label]) => (
                <th scope="col" key={k} aria-sort={sort === k ? "descending" : "none"}>
                  <button type="button" className="link" onClick={() => setSort(k)}>{label}{sort === k ? " ▼" : ""}</button>
                </th>
              ))}
              <th scope="col">IPD</th>
              <th scope="col">Cost / 1k tokens</th>
              <th scope="col">Tokens in / out</th>
              <th scope="col">Trend (USD/{q.data.bucket})</th>
            </tr>
          </thead>
          <tbody>
            {[...q.data.rows]
              .sort((a, b) => Number(b[sort] ?? -1) - Number(a[sort] ?? -1))
              .map((r) => {
                const key = Object.values(r.key)[0] ?? "";
                const buckets = bucketStarts(new Date(Date.now() - 1).toISOString(), new Date().toISOString(), q.data.bucket);
                const trend = q.data.trend.filter((t) => t.key === key);
                const values = (trend.length > 1 ? trend : buckets.map((b) => ({ bucket: b, costUsd: "0" }))).map((t) => Number(t.costUsd));
                return (
                  <tr key={key}>
                    <td>
                      {dimension === "feature" && !feature ? (
                        <a href="#" onClick={(e) => { e.preventDefault(); setParam("feature", key); }}>{key || "(idle GPU, no calls)"}</a>
                      ) : (
                        key || "(none)"
                      )}
                    </td>
                    <td>{formatUsd(r.costUsd)}</td>
                    <td>{formatCount(r.calls)}{r.unpricedCalls > 0 && <span className="badge">{r.unpricedCalls} unpriced</span>}</td>
                    <td>{formatCount(r.successfulTasks)}</td>
                    <td>{formatUsd(r.costPerSuccessfulTaskUsd)}</td>
                    <td>{formatUsd(r.retryCostUsd)}</td>
                    <td>{formatIpd(r.ipd)}</td>
                    <td>{formatUsd(r.costPer1kTokensUsd)}</td>
                    <td>{formatCount(r.inputTokens)} / {formatCount(r.outputTokens)}</td>
                    <td><Sparkline values={values} label={`daily spend trend of ${key}`} /></td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      )}
    </>
  );
}

export default function FeaturesPage() {
  return (
    <section>
      <div className="page-head">
        <h1>Where the money goes</h1>
        <Suspense><PeriodPicker /></Suspense>
      </div>
      <Suspense fallback={<Loading />}><Breakdown /></Suspense>
    </section>
  );
}
