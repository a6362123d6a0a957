export { formatUsd } from "~/server/domain/costs/usd.ts";

export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return new Intl.NumberFormat("en-US").format(value);
}

/** Compact token counts for axes and cards: 1.2M tokens. */
export function formatTokens(value: number): string {
  return `${new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(value)} tokens`;
}

export function formatPercent(ratio: number | null | undefined, signed = false): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "—";
  const pct = (ratio * 100).toFixed(Math.abs(ratio) < 0.1 ? 1 : 0);
  return `${signed && ratio > 0 ? "+" : ""}${pct}%`;
}

export function formatIpd(ipd: number | null | undefined): string {
  if (ipd === null || ipd === undefined) return "—";
  return `${ipd >= 100 ? Math.round(ipd).toLocaleString("en-US") : ipd.toFixed(ipd >= 10 ? 1 : 2)} tasks/$`;
}
