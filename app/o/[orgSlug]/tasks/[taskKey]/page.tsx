"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { formatCount, formatUsd } from "../../../../_charts/format.ts";
import { ErrorState, Loading } from "../../../../_components/states.tsx";
import { useTRPC } from "../../../../_trpc/react.tsx";

export default function TaskPage() {
  const { orgSlug, taskKey } = useParams<{ orgSlug: string; taskKey: string }>();
  const trpc = useTRPC();
  const q = useQuery(trpc.tasks.get.queryOptions({ orgSlug, taskKey: decodeURIComponent(taskKey) }));
  if (q.isPending) return <Loading label="Loading task…" />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const { task, spans } = q.data;
  return (
    <section>
      <p><Link href={`/o/${orgSlug}/tasks`}>← Tasks</Link></p>
      <h1>Task <code>{task.taskKey}</code></h1>
      <div className="kpis">
        <div className="kpi"><div className="kpi-label">Outcome</div><div className={`kpi-value ${task.outcome === "success" ? "good" : "bad"}`}>{task.outcome}</div></div>
        <div className="kpi"><div className="kpi-label">Cost</div><div className="kpi-value">{formatUsd(task.costUsd)}</div></div>
        <div className="kpi"><div className="kpi-label">Calls / retries / failed</div><div className="kpi-value">{task.calls} / {task.retryCalls} / {task.failedCalls}</div></div>
        <div className="kpi"><div className="kpi-label">Retry waste</div><div className="kpi-value">{formatUsd(task.retryCostUsd)}</div></div>
        <div className="kpi"><div className="kpi-label">Feature · type · customer</div><div className="kpi-value small">{task.feature ?? "—"} · {task.taskType ?? "—"} · {task.customerId ?? "—"}</div></div>
      </div>
      <section className="panel">
        <h2>Call tree</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Span</th><th scope="col">Model</th><th scope="col">Input (cached)</th><th scope="col">Output</th>
              <th scope="col">Duration</th><th scope="col">Price</th><th scope="col">Cost</th><th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {spans.map((s) => (
              <tr key={s.spanId} className={s.isRetryWaste ? "waste" : undefined}>
                <td style={{ paddingLeft: 12 + s.depth * 18 }}>
                  {s.name}
                  {s.isRetry && <span className="badge">retry</span>}
                  {s.isRetryWaste && <span className="badge bad" title="an attempt that did not produce the final result">wasted attempt</span>}
                </td>
                <td>{s.isLlmCall ? `${s.provider ?? "?"} / ${s.model ?? "?"}` : ""}</td>
                <td>{s.inputTokens !== null ? `${formatCount(s.inputTokens)} (${formatCount(s.cacheReadTokens ?? 0)})` : ""}</td>
                <td>{s.outputTokens !== null ? formatCount(s.outputTokens) : ""}</td>
                <td>{formatCount(s.durationMs)} ms</td>
                <td>{s.isLlmCall ? (s.priceRef ?? (s.gpuCostUsd ? "GPU pool" : "unpriced")) : ""}</td>
                <td>{s.isLlmCall ? (s.costUsd !== null ? formatUsd(s.costUsd) : s.gpuCostUsd !== null ? formatUsd(s.gpuCostUsd) : <span className="badge">unpriced</span>) : ""}</td>
                <td className={s.status === "error" ? "bad" : undefined}>{s.status}{s.errorType ? ` (${s.errorType})` : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}
