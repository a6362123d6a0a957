/** Slack mrkdwn needs &, <, > escaped; everything user-controlled goes through this. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export type AlertMessage = {
  kind: "fired" | "resolved";
  severity: string;
  title: string;
  summary: string;
  monthlyImpactUsd: string | null;
  fields: [string, string][];
  evidenceUrl: string;
  orgName: string;
};

const SEVERITY_EMOJI: Record<string, string> = { critical: ":rotating_light:", warning: ":warning:", info: ":information_source:" };

/** Block Kit message with a plain-text fallback, within Slack's limits (header 150, section 3000, ≤10 fields). */
export function slackPayload(m: AlertMessage): { text: string; blocks: object[] } {
  const prefix = m.kind === "resolved" ? "Resolved: " : "";
  const impact = m.monthlyImpactUsd !== null && m.kind === "fired" ? ` · ${Number(m.monthlyImpactUsd) >= 0 ? "+" : ""}$${Number(m.monthlyImpactUsd).toFixed(2)}/month` : "";
  const fields = [...(m.monthlyImpactUsd !== null ? ([["$ impact per month", `$${Number(m.monthlyImpactUsd).toFixed(2)}`]] as [string, string][]) : []), ...m.fields].slice(0, 10);
  return {
    text: clip(`${prefix}${m.title}${impact} (${m.orgName})`, 3000),
    blocks: [
      { type: "header", text: { type: "plain_text", text: clip(`${prefix}${m.title}`, 150) } },
      {
        type: "section",
        text: { type: "mrkdwn", text: clip(`${SEVERITY_EMOJI[m.severity] ?? ""} ${escapeMrkdwn(m.summary)}`, 3000) },
        ...(fields.length ? { fields: fields.map(([k, v]) => ({ type: "mrkdwn", text: clip(`*${escapeMrkdwn(k)}*\n${escapeMrkdwn(v)}`, 2000) })) } : {}),
      },
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open evidence" }, url: m.evidenceUrl }] },
      { type: "context", elements: [{ type: "mrkdwn", text: clip(`InferLedger · ${escapeMrkdwn(m.orgName)} · severity ${m.severity}`, 300) }] },
    ],
  };
}

/** Generic webhook body (signed by the service with HMAC-SHA256 over the exact bytes). */
export function webhookPayload(m: AlertMessage & { eventId: string; idempotencyKey: string }): object {
  return { type: `alert.${m.kind}`, idempotencyKey: m.idempotencyKey, eventId: m.eventId, org: m.orgName, severity: m.severity, title: m.title, summary: m.summary, monthlyImpactUsd: m.monthlyImpactUsd, fields: Object.fromEntries(m.fields), evidenceUrl: m.evidenceUrl };
}
