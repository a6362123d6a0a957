"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { formatCount, formatUsd } from "../../../_charts/format.ts";
import { PeriodPicker, usePeriod } from "../../../_components/period-picker.tsx";
import { SendDataHelp } from "../../../_components/send-data-help.tsx";
import { EmptyState, ErrorState, Loading } from "../../../_components/states.tsx";
import { useTRPC } from "../../../_trpc/react.tsx";

function useFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== "page") next.delete("page");
    router.replace(`${pathname}?${next.toString()}`);
  };
  const rawOutcome = params.get("outcome");
  const outcome: "success" | "failure" | undefined = rawOutcome === "success" || rawOutcome === "failure" ? rawOutcome : undefined;
  const rawSort = params.get("sort");
  const sort: "start" | "cost" | "calls" = rawSort === "cost" || rawSort === "calls" ? rawSort : "start";
  return {
    feature: params.get("feature") ?? undefined,
    outcome,
    loopsOnly: params.get("loops") === "1" || undefined,
    search: params.get("q") ?? undefined,
    sort,
    page: Math.max(0, Number(params.get("page") ?? 0) || 0),
    set,
  };
}

function TaskTable() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const period = usePeriod();
  const f = useFilters();
  const trpc = useTRPC();
  const q = useQuery(trpc.tasks.list.queryOptions({ orgSlug, period, feature: f.feature, outcome: f.outcome, loopsOnly: f.loopsOnly, search: f.search, sort: f.sort, page: f.page }));
  return (
    <>
      <form className="inline-form" role="search" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search task id
          <input defaultValue={f.search} onChange={(e) => f.set("q", e.target.value || null)} />
        </label>
        <label>
          Feature
          <input defaultValue={f.feature} onBlur={(e) => f.set("feature", e.target.value || null)} />
        </label>
        <label>
          Outcome
          <select value={f.outcome ?? ""} onChange={(e) => f.set("outcome", e.target.value || null)}>
            <option value="">any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
          </select>
        </label>
        <label>
          Sort by
          <select value={f.sort} onChange={(e) => f.set("sort", e.target.value)}>
            <option value="start">newest</option>
            <option value="cost">cost</option>
            <option value="calls">calls</option>
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={Boolean(f.loopsOnly)} onChange={(e) => f.set("loops", e.target.checked ? "1" : null)} /> agent loops only
        </label>
      </form>
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.total === 0 ? (
        <EmptyState title="No tasks match">
          <p>Tasks appear once calls arrive; a trace is one task unless spans carry <code>inferledger.task.id</code>.</p>
          <SendDataHelp />
        </EmptyState>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">Task</th><th scope="col">Feature</th><th scope="col">Type</th><th scope="col">Outcome</th>
                <th scope="col">Start (UTC)</th><th scope="col">Calls</th><th scope="col">Retries</th><th scope="col">Cost</th><th scope="col">Model</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((t) => (
                <tr key={t.taskKey}>
                  <td><Link href={`/o/${orgSlug}/tasks/${encodeURIComponent(t.taskKey)}`}><code>{t.taskKey.slice(0, 18)}</code></Link>{t.isLoop && <span className="badge bad">loop</span>}</td>
                  <td>{t.feature ?? "—"}</td>
                  <td>{t.taskType ?? "—"}</td>
                  <td className={t.outcome === "success" ? "good" : "bad"}>{t.outcome}</td>
                  <td>{t.startTime.toISOString().slice(0, 19).replace("T", " ")}</td>
                  <td>{formatCount(t.calls)}</td>
                  <td>{t.retryCalls > 0 ? formatCount(t.retryCalls) : "—"}</td>
                  <td>{formatUsd(t.costUsd)}{t.unpricedCalls > 0 && <span className="badge" title="some calls have no price">+{t.unpricedCalls} unpriced</span>}</td>
                  <td>{t.primaryModel ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label="Pages">
            <button type="button" disabled={f.page === 0} onClick={() => f.set("page", String(f.page - 1))}>Previous</button>
            <span>Page {f.page + 1} of {Math.max(1, Math.ceil(q.data.total / 50))} · {formatCount(q.data.total)} tasks</span>
            <button type="button" disabled={(f.page + 1) * 50 >= q.data.total} onClick={() => f.set("page", String(f.page + 1))}>Next</button>
          </nav>
        </>
      )}
    </>
  );
}

export default function TasksPage() {
  return (
    <section>
      <div className="page-head">
        <h1>Tasks</h1>
        <Suspense><PeriodPicker /></Suspense>
      </div>
      <Suspense fallback={<Loading />}><TaskTable /></Suspense>
    </section>
  );
}
