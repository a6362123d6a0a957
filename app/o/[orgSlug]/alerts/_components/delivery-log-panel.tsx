"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ATTEMPT_OUTCOMES, type AttemptOutcome } from "~/server/domain/alerts/delivery-log.ts";
import { EmptyState, ErrorState, Loading } from "../../../../_components/states.tsx";
import { useTRPC } from "../../../../_trpc/react.tsx";

const PAGE_SIZE = 25;
const OUTCOME_CLASS: Record<AttemptOutcome, string | undefined> = { sent: "good", retry: undefined, failed: "bad" };

/** Seconds matter in a delivery log (retries a second apart); the zone is written out, not implied. */
const utcSeconds = (d: Date) => `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;

/** Every attempt to deliver an alert, digest or test message: newest first, filterable, paged on demand. */
export function DeliveryLogPanel({ orgSlug, channels }: { orgSlug: string; channels: { id: string; name: string }[] }) {
  const trpc = useTRPC();
  const [channelId, setChannelId] = useState("");
  const [outcome, setOutcome] = useState<AttemptOutcome | "">("");
  const q = useInfiniteQuery(
    trpc.alerts.deliveryLog.infiniteQueryOptions(
      { orgSlug, pageSize: PAGE_SIZE, channelId: channelId || undefined, outcome: outcome || undefined },
      { getNextPageParam: (last) => last.nextCursor },
    ),
  );
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="panel" aria-labelledby="delivery-log-heading">
      <h2 id="delivery-log-heading">Delivery log</h2>
      <form className="inline-form" aria-label="Filter delivery log" onSubmit={(e) => e.preventDefault()}>
        <label>Channel
          <select value={channelId} onChange={(e) => setChannelId(e.target.value)}>
            <option value="">all channels</option>
            {channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
        <label>Outcome
          <select value={outcome} onChange={(e) => setOutcome(ATTEMPT_OUTCOMES.find((o) => o === e.target.value) ?? "")}>
            <option value="">all outcomes</option>
            {ATTEMPT_OUTCOMES.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
      </form>
      {q.isPending ? (
        <Loading label="Loading the delivery log…" />
      ) : q.error && items.length === 0 ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={channelId || outcome ? "No delivery attempts match" : "No deliveries yet"}>
          <p className="muted">Each attempt to send an alert, digest or test message to a channel is listed here, with what the webhook answered.</p>
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th><th scope="col">Channel</th><th scope="col">Message</th><th scope="col">Attempt</th>
                <th scope="col">Outcome</th><th scope="col">HTTP status</th><th scope="col">Duration (ms)</th><th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td><time dateTime={i.attemptedAt.toISOString()}>{utcSeconds(i.attemptedAt)}</time></td>
                  <td>{i.channelName ?? <span className="muted">(deleted channel)</span>}{i.channelKind && <span className="badge">{i.channelKind}</span>}</td>
                  <td>{i.subject}</td>
                  <td>#{i.attempt}</td>
                  <td className={OUTCOME_CLASS[i.outcome]}>{i.outcome}</td>
                  <td>{i.httpStatus ?? "—"}</td>
                  <td>{i.durationMs}</td>
                  <td>{i.error ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.hasNextPage && (
            <p>
              <button type="button" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>{q.isFetchingNextPage ? "Loading…" : "Load older attempts"}</button>
            </p>
          )}
          {q.error && <p role="alert" className="error">Could not update the delivery log: {q.error.message}</p>}
        </div>
      )}
    </section>
  );
}
