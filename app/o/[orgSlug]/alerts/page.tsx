"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import type { FormEvent } from "react";
import { ALERT_TYPES } from "~/server/domain/alerts/rules.ts";
import { EmptyState, ErrorState, Loading } from "../../../_components/states.tsx";
import { useTRPC } from "../../../_trpc/react.tsx";
import { ChannelsPanel } from "./_components/channels-panel.tsx";
import { DeliveryLogPanel } from "./_components/delivery-log-panel.tsx";
import { EventsPanel } from "./_components/events-panel.tsx";
import { thresholdConfig, TYPE_HELP } from "./_components/rule-help.ts";
import { RuleRow } from "./_components/rule-row.tsx";

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
  const options = { onSuccess: refresh };
  const createRule = useMutation(trpc.alerts.createRule.mutationOptions(options));
  const updateRule = useMutation(trpc.alerts.updateRule.mutationOptions(options));
  const deleteRule = useMutation(trpc.alerts.deleteRule.mutationOptions(options));
  const createChannel = useMutation(trpc.alerts.createChannel.mutationOptions(options));
  const deleteChannel = useMutation(trpc.alerts.deleteChannel.mutationOptions(options));
  const enableChannel = useMutation(trpc.alerts.enableChannel.mutationOptions(options));
  const testSend = useMutation(trpc.alerts.testSend.mutationOptions(options));
  const evaluate = useMutation(trpc.alerts.evaluateNow.mutationOptions(options));
  const mutations = [createRule, updateRule, deleteRule, createChannel, deleteChannel, enableChannel, testSend, evaluate];
  const error = mutations.find((m) => m.error)?.error;
  const busy = mutations.some((m) => m.isPending);

  function onRule(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const type = ALERT_TYPES.find((t) => t === f.get("type")) ?? "waste";
    createRule.mutate({ orgSlug, rule: { type, config: thresholdConfig(type, String(f.get("threshold"))), channelId: String(f.get("channelId")) || undefined } });
  }

  if (rules.isPending || channels.isPending || events.isPending) return <Loading />;
  const failed = rules.error ?? channels.error ?? events.error;
  if (failed || !rules.data || !channels.data || !events.data) return <ErrorState error={failed ?? { message: "no data" }} onRetry={refresh} />;
  const sent = testSend.data;
  return (
    <section>
      <div className="page-head">
        <h1>Alerts</h1>
        {canManage && <button type="button" onClick={() => evaluate.mutate({ orgSlug })} disabled={evaluate.isPending}>{evaluate.isPending ? "Evaluating…" : "Evaluate now"}</button>}
      </div>
      {evaluate.data && <p role="status">{evaluate.data.fired.length} fired, {evaluate.data.resolved.length} resolved, {evaluate.data.stillOpen} still open.</p>}
      {sent && (
        <p role="status" className={sent.status === "failed" ? "error" : undefined}>
          Test message {sent.status === "sent" ? `delivered (HTTP ${sent.httpStatus})` : sent.status === "pending" ? "queued (channel paced to 1 message/s; it goes out within seconds)" : `failed${sent.httpStatus ? ` (HTTP ${sent.httpStatus})` : ""}: ${sent.error ?? "unknown error"}`}.
        </p>
      )}
      {error && <p role="alert" className="error">{error.message}</p>}
      <EventsPanel events={events.data} />
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
            <thead><tr><th scope="col">Rule</th><th scope="col">Config</th><th scope="col">Severity</th><th scope="col">Cooldown</th><th scope="col">Channel</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {rules.data.map((r) => (
                <RuleRow
                  key={r.id}
                  rule={r}
                  channels={channels.data}
                  canManage={canManage}
                  busy={busy}
                  onSave={(rule) => updateRule.mutateAsync({ orgSlug, id: r.id, rule })}
                  onDelete={() => deleteRule.mutate({ orgSlug, id: r.id })}
                  onTestSend={() => r.channelId && testSend.mutate({ orgSlug, channelId: r.channelId, ruleId: r.id })}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ChannelsPanel
        channels={channels.data}
        canManage={canManage}
        busy={busy}
        signingSecret={createChannel.data?.signingSecret ?? null}
        onCreate={(channel) => createChannel.mutate({ orgSlug, channel })}
        onTestSend={(channelId) => testSend.mutate({ orgSlug, channelId })}
        onEnable={(id) => enableChannel.mutate({ orgSlug, id })}
        onDelete={(id) => deleteChannel.mutate({ orgSlug, id })}
      />
      <DeliveryLogPanel orgSlug={orgSlug} channels={channels.data} />
    </section>
  );
}
