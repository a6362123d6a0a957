import type { Summary } from "./summary.ts";

const SUMMARY_FIELDS: (keyof Summary)[] = [
  "costUsd", "apiCostUsd", "gpuCostUsd", "idleGpuCostUsd", "retryCostUsd", "failedCostUsd", "inputTokens",
  "cachedInputTokens", "cacheWriteTokens", "outputTokens", "reasoningTokens", "calls", "retryCalls", "failedCalls",
  "unpricedCalls", "tasks", "successfulTasks", "costPerSuccessfulTaskUsd", "ipd", "costPer1kTokensUsd",
];

/** RFC 4180 field; also defuses spreadsheet formula injection (=, +, -, @ at the start of text). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** The read API as CSV: one column per groupBy dimension, then every Summary field. */
export function costRowsToCsv(groupBy: string[], rows: ({ key: Record<string, string | undefined> } & Summary)[]): string {
  return toCsv(
    [...groupBy, ...SUMMARY_FIELDS],
    rows.map((r) => [...groupBy.map((d) => r.key[d] ?? ""), ...SUMMARY_FIELDS.map((f) => r[f])]),
  );
}

export type FocusInput = { day: string; provider: string; model: string; feature: string; customer: string; summary: Summary };

const DAY_MS = 86_400_000;

/**
 * FinOps FOCUS-style rows (one per day × provider × model × feature × customer): BilledCost/EffectiveCost in USD,
 * ConsumedQuantity in tokens, our attribution in Tags. Columns follow FOCUS 1.x names where they apply.
 */
export function focusCsv(rows: FocusInput[]): string {
  const header = [
    "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "BillingCurrency", "BilledCost",
    "EffectiveCost", "ChargeCategory", "ChargeDescription", "ProviderName", "PublisherName", "ServiceName",
    "ServiceCategory", "ConsumedQuantity", "ConsumedUnit", "Tags",
  ];
  return toCsv(
    header,
    rows.map((r) => {
      const start = new Date(r.day);
      const end = new Date(start.getTime() + DAY_MS);
      const month = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
      const nextMonth = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
      const tokens = r.summary.inputTokens + r.summary.outputTokens;
      return [
        month.toISOString(), nextMonth.toISOString(), start.toISOString(), end.toISOString(), "USD", r.summary.costUsd,
        r.summary.costUsd, "Usage", `${r.summary.calls} LLM calls`, r.provider || "unknown", r.provider || "unknown",
        r.model || "unknown", "AI and Machine Learning", tokens, "Tokens",
        JSON.stringify({ feature: r.feature, customer: r.customer }),
      ];
    }),
  );
}
