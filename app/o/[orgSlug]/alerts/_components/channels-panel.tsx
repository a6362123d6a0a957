"use client";
import type { FormEvent } from "react";

export type ChannelView = { id: string; name: string; kind: string; urlHint: string; disabledAt: Date | null; disabledReason: string | null; lastSentAt: Date | null };

type Props = {
  channels: ChannelView[];
  canManage: boolean;
  busy: boolean;
  signingSecret: string | null;
  onCreate: (channel: { kind: "slack" | "webhook"; name: string; url: string }) => void;
  onTestSend: (channelId: string) => void;
  onEnable: (channelId: string) => void;
  onDelete: (channelId: string) => void;
};

export function ChannelsPanel({ channels, canManage, busy, signingSecret, onCreate, onTestSend, onEnable, onDelete }: Props) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    onCreate({ kind: f.get("kind") === "webhook" ? "webhook" : "slack", name: String(f.get("name")), url: String(f.get("url")) });
  }
  return (
    <section className="panel">
      <h2>Channels</h2>
      {canManage && (
        <form className="inline-form" onSubmit={submit} aria-label="Add alert channel">
          <label>Kind<select name="kind"><option value="slack">Slack incoming webhook</option><option value="webhook">JSON webhook (HMAC-signed)</option></select></label>
          <label>Name<input name="name" required placeholder="#llm-costs" /></label>
          <label>URL<input name="url" type="url" required placeholder="https://hooks.slack.com/services/…" /></label>
          <button type="submit">Add channel</button>
        </form>
      )}
      {signingSecret && <p className="callout" role="status">Signing secret (shown once): <code>{signingSecret}</code></p>}
      {channels.length === 0 ? <p className="muted">No channels: events are kept here only.</p> : (
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">URL</th><th scope="col">Status</th><th scope="col">Last sent (UTC)</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {channels.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.kind}</td>
                <td><code>{c.urlHint}</code></td>
                <td className={c.disabledAt ? "bad" : undefined}>{c.disabledAt ? `disabled: ${c.disabledReason}` : "active"}</td>
                <td>{c.lastSentAt ? c.lastSentAt.toISOString().slice(0, 16).replace("T", " ") : "never"}</td>
                <td>
                  {canManage && (
                    <div className="row-actions">
                      {c.disabledAt
                        ? <button type="button" className="link" disabled={busy} onClick={() => onEnable(c.id)}>Enable</button>
                        : <button type="button" className="link" disabled={busy} onClick={() => onTestSend(c.id)}>Test-send</button>}
                      <button type="button" className="danger" disabled={busy} onClick={() => onDelete(c.id)}>Delete</button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
