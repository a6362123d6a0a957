import { z } from "zod";

export const GROUP_BY_DIMS = ["feature", "taskType", "provider", "model", "customer", "day", "hour"] as const;
export type GroupByDim = (typeof GROUP_BY_DIMS)[number];

const MAX_RANGE_DAYS = 400;
const MAX_HOURLY_RANGE_DAYS = 62;
const DAY_MS = 86_400_000;

const isoInstant = (name: string) =>
  z
    .string({ error: `${name} is required (ISO 8601, e.g. 2026-11-01T00:00:00Z)` })
    .max(40)
    .refine((v) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v)), {
      message: `${name} must be an ISO 8601 date or date-time, e.g. 2026-11-01T00:00:00Z`,
    })
    .transform((v) => new Date(v));

const filter = z.string().min(1).max(200).optional();

const Schema = z
  .object({
    from: isoInstant("from"),
    to: isoInstant("to"),
    groupBy: z
      .string()
      .max(200)
      .optional()
      .transform((v, ctx) => {
        const dims = (v ?? "").split(",").map((d) => d.trim()).filter(Boolean);
        const unknown = dims.filter((d) => !(GROUP_BY_DIMS as readonly string[]).includes(d));
        if (unknown.length) {
          ctx.addIssue({ code: "custom", message: `unknown groupBy ${unknown.join(", ")}; use ${GROUP_BY_DIMS.join(", ")}` });
          return z.NEVER;
        }
        return [...new Set(dims)] as GroupByDim[];
      }),
    feature: filter,
    model: filter,
    provider: filter,
    format: z.enum(["json", "csv"]).default("json"),
  })
  .superRefine((v, ctx) => {
    if (!(v.from instanceof Date) || !(v.to instanceof Date) || !Array.isArray(v.groupBy)) return; // already reported
    const rangeMs = v.to.getTime() - v.from.getTime();
    if (rangeMs <= 0) ctx.addIssue({ code: "custom", message: "to must be after from" });
    if (rangeMs > MAX_RANGE_DAYS * DAY_MS) ctx.addIssue({ code: "custom", message: `the range may span at most ${MAX_RANGE_DAYS} days` });
    if (v.groupBy.includes("hour") && rangeMs > MAX_HOURLY_RANGE_DAYS * DAY_MS) {
      ctx.addIssue({ code: "custom", message: `groupBy=hour allows at most ${MAX_HOURLY_RANGE_DAYS} days; use day` });
    }
  });

export type ReadApiParams = z.infer<typeof Schema>;

/** Validates read-API query parameters; returns a readable message instead of throwing. */
export function parseReadApiParams(search: URLSearchParams): { ok: true; value: ReadApiParams } | { ok: false; message: string } {
  const raw: Record<string, string> = {};
  for (const key of ["from", "to", "groupBy", "feature", "model", "provider", "format"]) {
    const value = search.get(key);
    if (value !== null) raw[key] = value;
  }
  const parsed = Schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ") };
}
