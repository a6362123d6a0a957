"use client";
import { formatUsd } from "../../../../_charts/format.ts";

type Delivery = { id: string; kind: string; status: string; attempts: number; lastError: string | null };
export type EventView = { id: string; status: string; title: string; summary: string; monthlyImpactUsd: string | null; openedAt: Date; resolvedAt: Date | null; deliveries: Delivery[] };

const utc = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");

/** Fired and resolved events with their evidence summary, $ impact and the delivery log of each notification. */
export function EventsPanel({ events }: { events: EventView[] }) {
  return (
    <section className="panel">
      <h2>Events</h2>
      {events.length === 0 ? (
        <p className="muted">No alerts have fired. Rules are evaluated every minute.</p>
      ) : (
        <table>
          <thead><tr><th scope="col">Status</th><th scope="col">Alert</th><th scope="col">$ impact / month (USD)</th><th scope="col">Opened (UTC)</th><th scope="col">Resolved (UTC)</th><th scope="col">Delivery</th></tr></thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td className={e.status === "open" ? "bad" : "good"}>{e.status}</td>
                <td><strong>{e.title}</strong><br /><span className="muted">{e.summary}</span></td>
                <td>{e.monthlyImpactUsd ? formatUsd(e.monthlyImpactUsd) : "—"}</td>
                <td>{utc(e.openedAt)}</td>
                <td>{e.resolvedAt ? utc(e.resolvedAt) : "—"}</td>
                <td>{e.deliveries.length === 0 ? "no channel" : e.deliveries.map((d) => `${d.kind}: ${d.status}${d.attempts > 1 ? ` (${d.attempts} tries)` : ""}${d.lastError ? ` — ${d.lastError}` : ""}`).join("; ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
