import { z } from "zod";
import { ModelSpecSchema, PRECISIONS } from "../gpu-model/catalog.ts";
import type { Scenario } from "./types.ts";

/** zod schemas for scenario lists: validate what a client sends and what a saved row holds before it reaches the engine. */
const name = z.string().min(1).max(200);
const names = z.array(name).max(100).optional();
const ratio = z.number().min(0).max(1);
const usd = z.string().regex(/^\d{1,9}(\.\d{1,10})?$/, "a USD amount like 2.49");
const precision = z.enum(PRECISIONS);
const slo = z.object({ tpotMs: z.number().positive().max(60_000).optional(), ttftMs: z.number().positive().max(600_000).optional() }).strict();

export const TrafficMatchSchema = z.object({ features: names, providers: names, models: names, selfHosted: z.boolean().optional() }).strict();

const SelfHostSchema = z.object({
  kind: z.literal("self-host"),
  match: TrafficMatchSchema,
  gpuId: name,
  model: z.union([name, ModelSpecSchema]), // catalog id, or a user-defined model
  gpusPerReplica: z.number().int().min(1).max(64),
  precision,
  kvPrecision: precision.optional(),
  usdPerGpuHour: usd,
  replicas: z.union([z.number().int().min(0).max(10_000), z.literal("auto")]),
  slo: slo.optional(),
  batch: z.number().int().min(1).max(100_000).optional(),
  targetUtilization: z.number().gt(0).max(1).optional(),
  monthlyOpsUsd: usd.optional(),
  overflow: z.enum(["api", "none"]).optional(),
  baselinePercentile: z.number().min(1).max(100).optional(),
}).strict();

const QuantizationSchema = z.object({ kind: z.literal("quantization"), precision: precision.optional(), kvPrecision: precision.optional(), batch: z.number().int().min(1).max(100_000).optional(), slo: slo.optional() }).strict();
const CascadeSchema = z.object({ kind: z.literal("cascade"), match: TrafficMatchSchema, share: ratio, target: z.object({ provider: name, model: name }).strict(), escalationRate: ratio }).strict();
const CacheSchema = z.object({ kind: z.literal("cache"), match: TrafficMatchSchema, semanticHitRate: ratio.optional(), promptCacheHitRate: ratio.optional() }).strict();
const TrimSchema = z.object({ kind: z.literal("trim-input"), match: TrafficMatchSchema, reductionPct: z.number().min(0).max(100) }).strict();
const RepriceSchema = z.object({
  kind: z.literal("reprice"),
  match: TrafficMatchSchema,
  changePct: z.number().min(-100).max(1000).optional(),
  targetProvider: name.optional(),
  modelMap: z.record(name, name).optional(),
}).strict();

export const ScenarioSchema = z.discriminatedUnion("kind", [SelfHostSchema, QuantizationSchema, CascadeSchema, CacheSchema, TrimSchema, RepriceSchema]);
export const ScenarioListSchema = z.array(ScenarioSchema).max(20);

// Compile-time check that the schema's output is a Scenario the engine accepts.
type Assignable<T extends Scenario> = T;
export type ParsedScenario = Assignable<z.infer<typeof ScenarioSchema>>;
