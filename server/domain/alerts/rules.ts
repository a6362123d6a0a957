import { z } from "zod";

export const ALERT_TYPES = ["prompt_creep", "cost_regression", "budget", "waste", "idle_gpu"] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

const filters = { feature: z.string().max(200).optional(), promptName: z.string().max(200).optional(), customerId: z.string().max(200).optional(), poolName: z.string().max(200).optional() };

/** Per-type configuration with defaults: thresholds are ratios (0.2 = 20%) unless named in USD. */
export const RULE_CONFIG: Record<AlertType, z.ZodType<Record<string, unknown>>> = {
  prompt_creep: z.object({ threshold: z.number().positive().default(0.2), recentDays: z.number().int().min(1).max(30).default(7), baselineDays: z.number().int().min(1).max(90).default(28), minCallsPerDay: z.number().min(0).default(5), ...filters }),
  cost_regression: z.object({ threshold: z.number().positive().default(0.25), recentDays: z.number().int().min(1).max(30).default(7), baselineDays: z.number().int().min(1).max(90).default(28), metric: z.enum(["per_successful_task", "per_call"]).default("per_successful_task"), minVolume: z.number().min(0).default(50), ...filters }),
  budget: z.object({ monthlyBudgetUsd: z.number().positive(), forecastRatio: z.number().positive().default(0.8), actualRatio: z.number().positive().default(1), ...filters }),
  waste: z.object({ threshold: z.number().positive().default(0.15), windowDays: z.number().int().min(1).max(30).default(7), minCostUsd: z.number().min(0).default(1), maxLoopTaskShare: z.number().positive().default(0.05), ...filters }),
  idle_gpu: z.object({ threshold: z.number().positive().default(0.5), windowDays: z.number().int().min(1).max(30).default(1), minCostUsd: z.number().min(0).default(1), ...filters }),
};

export const DEFAULT_SEVERITY: Record<AlertType, Severity> = { prompt_creep: "warning", cost_regression: "warning", budget: "critical", waste: "warning", idle_gpu: "info" };

export type RuleConfig = Record<string, unknown>;

export function parseRuleConfig(type: AlertType, config: unknown): { ok: true; value: RuleConfig } | { ok: false; message: string } {
  const parsed = RULE_CONFIG[type].safeParse(config ?? {});
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: parsed.error.issues.map((i) => `${i.path.join(".") || type}: ${i.message}`).join("; ") };
}

/** What a firing rule says about one subject (a feature, prompt, pool, or the org). */
export type Finding = {
  dedupeKey: string;
  title: string;
  summary: string;
  evidence: Record<string, unknown>;
  monthlyImpactUsd: string | null;
};
