"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import type { FormEvent } from "react";
import { ALERT_TYPES } from "~/server/domain/alerts/rules.ts";
import { formatUsd } from "../../../_charts/format.ts";
import { EmptyState, ErrorState, Loading } from "../../../_components/states.tsx";
import { useTRPC } from "../../../_trpc/react.tsx";

const TYPE_HELP: Record<string, string> = {
  prompt_creep: "input tokens/call of a feature × prompt grew more than X (ratio, e.g. 0.2) vs. the 28 days before the last 7",
  cost_regression: "cost per successful task of a feature rose more than X (ratio); names the likely cause",
  budget: "month-to-date spend or its forecast reaches the monthly budget (X = budget in USD)",
  waste: "retry waste, failed calls and idle GPU above X (ratio) of spend, or runaway agent loops",
  idle_gpu: "a GPU pool idle more than X (ratio) of its paid time",
};

export default function AlertsPage() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.alerts.rules.queryOptions({ orgSlug }));
  const channels = useQuery(trpc.alerts.channels.queryOptions({ orgSlug }));
  const events = useQuery(trpc.alerts.events.queryOptions({ orgSlug }));
  const org = useQuery(trpc.orgs.get.queryOptions({ orgSlug }));
  const canManage = org.data?.permissions.includes("alerts:manage") ?? false;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: [["alerts"]] });
  const createRule = useMutation(trpc.alerts.createRule.mutationOptions({ onSuccess: refresh }));
  const deleteRule = useMutation(trpc.alerts.deleteRule.mutationOptions({ onSuccess: refresh }));
  const createChannel = useMutation(trpc.alerts.createChannel.mutationOptions({ onSuccess: refresh }));
  const evaluate = useMutation(trpc.alerts.evaluateNow.mutationOptions({ onSuccess: refresh }));
  const error = createRule.error ?? createChannel.error ?? evaluate.error ?? deleteRule.error;

  function onRule(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const type = ALERT_TYPES.find((t) => t === f.get("type")) ?? "waste";
    const x = Number(f.get("threshold"));
    const config = String(f.get("threshold")).trim() === "" ? {} : type === "budget" ? { monthlyBudgetUsd: x } : { threshold: x };
    createRule.mutate({ orgSlug, rule: { type, config, channelId: String(f.get("channelId")) || undefined } });
  }
  function onChannel(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    createChannel.mutate({ orgSlug, channel: { kind: f.get("kind") === "webhook" ? "webhook" : "slack", name: String(f.get("name")), url: String(f.get("url")) } });
  }

  if (rules.isPending || channels.isPending || events.isPending) return <Loading />;
  const failed = rules.error ?? channels.error ?? events.error;
  if (failed || !rules.data || !channels.data || !events.data) return <ErrorState error={failed ?? { message: "no data" }} onRetry={refresh} />;
  return (
    <section>
      <div className="page-head">
        <h1>Alerts</h1>
        {canManage && <button type="button" onClick={() => evaluate.mutate({ orgSlug })} disabled={evaluate.isPending}>{evaluate.isPending ? "Evaluating…" : "Evaluate now"}</button>}
      </div>
      {evaluate.data && <p role="status">{evaluate.data.fired.length} fired, {evaluate.data.resolved.length} resolved, {evaluate.data.stillOpen} still open.</p>}
      {error && <p role="alert" className="error">{error.message}</p>}
      <section className="panel">
        <h2>Events</h2>
        {events.data.length === 0 ? (
          <p className="muted">No alerts have fired. Rules are evaluated every minute.</p>
        ) : (
          <table>
            <thead><tr><th scope="col">Status</th><th scope="col">Alert</th><th scope="col">$ impact / month</th><th scope="col">Opened (UTC)</th><th scope="col">Delivery</th></tr></thead>
            <tbody>
              {events.data.map((e) => (
                <tr key={e.id}>
                  <td className={e.status === "open" ? "bad" : "good"}>{e.status}</td>
                  <td><strong>{e.title}</strong><br /><span className="muted">{e.summary}</span></td>
                  <td>{e.monthlyImpactUsd ? formatUsd(e.monthlyImpactUsd) : "—"}</td>
                  <td>{e.openedAt.toISOString().slice(0, 16).replace("T", " ")}</td>
                  <td>{e.deliveries.length === 0 ? "no channel" : e.deliveries.map((d) => `${d.kind}: ${d.status}${d.attempts > 1 ? ` (${d.attempts} tries)` : ""}${d.lastError ? ` — ${d.lastError}` : ""}`).join("; ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel">
        <h2>Rules</h2>
        {canManage && (
          <form className="inline-form" onSubmit={onRule} aria-label="Create alert rule">
            <label>Type<select name="type">{ALERT_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}</select></label>
            <label>Threshold (or budget USD)<input name="threshold" inputMode="decimal" placeholder="default" /></label>
            <label>Channel<select name="channelId"><option value="">none</option>{channels.data.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select></label>
            <button type="submit">Add rule</button>
          </form>
        )}
        {rules.data.length === 0 ? (
          <EmptyState title="No rules"><p>{Object.entries(TYPE_HELP).map(([k, v]) => <span key={k}><code>{k}</code>: {v}.<br /></span>)}</p></EmptyState>
        ) : (
          <table>
            <thead><tr><th scope="col">Rule</th><th scope="col">Config</th><th scope="col">Severity</th><th scope="col">Cooldown</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {rules.data.map((r) => (
                <tr key={r.id}>
                  <td>{r.name}<br /><span className="muted">{TYPE_HELP[r.type]}</span></td>
                  <td><code>{JSON.stringify(r.config)}</code></td>
                  <td>{r.severity}</td>
                  <td>{r.cooldownMinutes} min</td>
                  <td>{canManage && <button type="button" className="danger" onClick={() => deleteRule.mutate({ orgSlug, id: r.id })}>Delete</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel">
        <h2>Channels</h2>
        {canManage && (
          <form className="inline-form" onSubmit={onChannel} aria-label="Add alert channel">
            <label>Kind<select name="kind"><option value="slack">Slack incoming webhook</option><option value="webhook">JSON webhook (HMAC-signed)</option></select></label>
            <label>Name<input name="name" required placeholder="#llm-costs" /></label>
            <label>URL<input name="url" type="url" required placeholder="https://hooks.slack.com/services/…" /></label>
            <button type="submit">Add channel</button>
          </form>
        )}
        {createChannel.data?.signingSecret && <p className="callout" role="status">Signing secret (shown once): <code>{createChannel.data.signingSecret}</code></p>}
        {channels.data.length === 0 ? <p className="muted">No channels: events are kept here only.</p> : (
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">URL</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {channels.data.map((c) => (
                <tr key={c.id}><td>{c.name}</td><td>{c.kind}</td><td><code>{c.urlHint}</code></td><td className={c.disabledAt ? "bad" : undefined}>{c.disabledAt ? `disabled: ${c.disabledReason}` : "active"}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
