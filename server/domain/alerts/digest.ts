import Decimal from "decimal.js";
import { escapeMrkdwn } from "./format.ts";

export type DigestInput = {
  orgName: string;
  weekLabel: string; // e.g. 2026-W47
  spendUsd: string;
  previousSpendUsd: string;
  ipd: number | null;
  previousIpd: number | null;
  costPerSuccessfulTaskUsd: string | null;
  topMovers: { feature: string; deltaUsd: string }[];
  openAlerts: { title: string; monthlyImpactUsd: string | null }[];
  url: string;
};

/** ISO-8601 week key (UTC) of a time: the digest is sent once per org, channel and week. */
export function isoWeek(ms: number): string {
  const src = new Date(ms);
  const d = new Date(Date.UTC(src.getUTCFullYear(), src.getUTCMonth(), src.getUTCDate()));
  const dayNum = d.getUTCDay() || 7; // Monday = 1 … Sunday = 7
  d.setUTCDate(d.getUTCDate() + 4 - dayNum); // the Thursday of this week decides its year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

const usd = (v: Decimal.Value) => `$${new Decimal(v).toFixed(2)}`;
const change = (now: number, before: number) => (before > 0 ? `${now >= before ? "+" : ""}${(((now - before) / before) * 100).toFixed(0)}%` : "n/a");

/** The weekly digest as a Slack message: spend and IPD vs the week before, top movers, open alerts. */
export function weeklyDigestPayload(d: DigestInput): { text: string; blocks: object[] } {
  const spendChange = change(Number(d.spendUsd), Number(d.previousSpendUsd));
  const movers = d.topMovers.slice(0, 5).map((m) => `• ${escapeMrkdwn(m.feature || "(idle GPU)")}: ${Number(m.deltaUsd) >= 0 ? "+" : ""}${usd(m.deltaUsd)}`).join("\n") || "—";
  const alerts = d.openAlerts.slice(0, 5).map((a) => `• ${escapeMrkdwn(a.title)}${a.monthlyImpactUsd ? ` (${usd(a.monthlyImpactUsd)}/month)` : ""}`).join("\n") || "None";
  return {
    text: `InferLedger weekly digest ${d.weekLabel} for ${d.orgName}: spend ${usd(d.spendUsd)} (${spendChange}), IPD ${d.ipd === null ? "—" : d.ipd.toFixed(2)} tasks/$, ${d.openAlerts.length} open alerts`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: `Weekly digest ${d.weekLabel} · ${d.orgName}`.slice(0, 150) } },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: `*Spend (7 days)*\n${usd(d.spendUsd)} (${spendChange})` },
          { type: "mrkdwn", text: `*IPD*\n${d.ipd === null ? "—" : `${d.ipd.toFixed(2)} tasks/$`} (${d.ipd !== null && d.previousIpd !== null ? change(d.ipd, d.previousIpd) : "n/a"})` },
          { type: "mrkdwn", text: `*Cost per successful task*\n${d.costPerSuccessfulTaskUsd === null ? "—" : usd(d.costPerSuccessfulTaskUsd)}` },
          { type: "mrkdwn", text: `*Open alerts*\n${d.openAlerts.length}` },
        ],
      },
      { type: "section", text: { type: "mrkdwn", text: `*Top movers*\n${movers}`.slice(0, 3000) } },
      { type: "section", text: { type: "mrkdwn", text: `*Open alerts*\n${alerts}`.slice(0, 3000) } },
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open InferLedger" }, url: d.url }] },
    ],
  };
}
