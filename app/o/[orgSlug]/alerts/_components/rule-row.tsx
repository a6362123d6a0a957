"use client";
import { useState, type FormEvent } from "react";
import { SEVERITIES } from "~/server/domain/alerts/rules.ts";
import { thresholdConfig, thresholdOf, TYPE_HELP } from "./rule-help.ts";

export type RuleView = { id: string; type: string; name: string; config: unknown; severity: string; cooldownMinutes: number; channelId: string | null; enabled: boolean };
export type ChannelOption = { id: string; name: string };
export type RuleUpdate = { name?: string; config?: Record<string, number>; severity?: (typeof SEVERITIES)[number]; cooldownMinutes?: number; channelId?: string | null; enabled?: boolean };

type Props = {
  rule: RuleView;
  channels: ChannelOption[];
  canManage: boolean;
  busy: boolean;
  onSave: (update: RuleUpdate) => Promise<unknown>;
  onDelete: () => void;
  onTestSend: () => void;
};

/** One rule: read-only by default; "Edit" turns the row into a form (name, threshold, severity, cooldown, channel). */
export function RuleRow({ rule, channels, canManage, busy, onSave, onDelete, onTestSend }: Props) {
  const [editing, setEditing] = useState(false);
  const channelName = channels.find((c) => c.id === rule.channelId)?.name ?? "none";

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const severity = SEVERITIES.find((s) => s === f.get("severity"));
    try {
      await onSave({
        name: String(f.get("name")),
        config: thresholdConfig(rule.type, String(f.get("threshold"))),
        severity,
        cooldownMinutes: Number(f.get("cooldownMinutes")),
        channelId: String(f.get("channelId")) || null,
      });
      setEditing(false);
    } catch {
      // The page shows the mutation's error; the form stays open with the user's input.
    }
  }

  if (editing) {
    return (
      <tr>
        <td colSpan={6}>
          <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label={`Edit rule ${rule.name}`}>
            <label>Name<input name="name" defaultValue={rule.name} required maxLength={100} /></label>
            <label>{rule.type === "budget" ? "Monthly budget (USD)" : "Threshold (ratio)"}<input name="threshold" inputMode="decimal" defaultValue={thresholdOf(rule.type, rule.config)} placeholder="default" /></label>
            <label>Severity<select name="severity" defaultValue={rule.severity}>{SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}</select></label>
            <label>Cooldown (min)<input name="cooldownMinutes" type="number" min={0} max={43200} defaultValue={rule.cooldownMinutes} required /></label>
            <label>Channel<select name="channelId" defaultValue={rule.channelId ?? ""}><option value="">none</option>{channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select></label>
            <button type="submit" disabled={busy}>Save</button>
            <button type="button" className="link" onClick={() => setEditing(false)}>Cancel</button>
          </form>
        </td>
      </tr>
    );
  }
  return (
    <tr className={rule.enabled ? undefined : "muted"}>
      <td>{rule.name}{rule.enabled ? "" : " (paused)"}<br /><span className="muted">{TYPE_HELP[rule.type]}</span></td>
      <td><ConfigSummary config={rule.config} /></td>
      <td>{rule.severity}</td>
      <td>{rule.cooldownMinutes} min</td>
      <td>{channelName}</td>
      <td>
        {canManage && (
          <div className="row-actions">
            <button type="button" className="link" onClick={() => setEditing(true)}>Edit</button>
            <button type="button" className="link" disabled={busy} onClick={() => void onSave({ enabled: !rule.enabled }).catch(() => undefined)}>{rule.enabled ? "Pause" : "Resume"}</button>
            {rule.channelId && <button type="button" className="link" disabled={busy} onClick={onTestSend}>Test-send</button>}
            <button type="button" className="danger" onClick={onDelete}>Delete</button>
          </div>
        )}
      </td>
    </tr>
  );
}

/** The rule's settings as short "key value" lines instead of raw JSON. */
function ConfigSummary({ config }: { config: unknown }) {
  const entries = Object.entries((config ?? {}) as Record<string, unknown>);
  if (entries.length === 0) return <span className="muted">defaults</span>;
  return (
    <ul className="config-list">
      {entries.map(([k, v]) => <li key={k}><span className="muted">{k}</span> {String(v)}</li>)}
    </ul>
  );
}
