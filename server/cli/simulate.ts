import { defaultKvPrecision, findGpu, findModel, GPUS, isPrecision, MODELS, PRECISIONS, type GpuSpec, type ModelSpec, type Precision } from "../domain/gpu-model/catalog.ts";
import { frontier } from "../domain/gpu-model/frontier.ts";
import { predict, type Workload } from "../domain/gpu-model/model.ts";

export const SIMULATE_USAGE = `usage: inferledger simulate --gpu <id> [--gpus N] --model <id> [--precision fp16] [--kv-precision fp8]
                          --isl <tokens> --osl <tokens> [--concurrency N | --offline] [--gpu-hourly-usd 2.49]
                          [--frontier] [--json]
  --gpus           tensor-parallel GPUs in the replica (default 1)
  --offline        max sustainable throughput (default when --concurrency is absent)
  --frontier       add the throughput–latency frontier over batch sizes
GPUs:       ${GPUS.map((g) => g.id).join(", ")}
models:     ${MODELS.map((m) => m.id).join(", ")}
precisions: ${PRECISIONS.join(", ")}
`;

export type SimulateOptions = {
  gpu: GpuSpec;
  gpus: number;
  model: ModelSpec;
  precision: Precision;
  kvPrecision: Precision;
  isl: number;
  osl: number;
  concurrency: number | undefined; // undefined = offline max
  usdPerGpuHour: number | undefined;
  frontier: boolean;
  json: boolean;
};

export type ParsedSimulateArgs = { ok: true; help: false; options: SimulateOptions } | { ok: true; help: true } | { ok: false; error: string };

const VALUE_FLAGS = new Set(["gpu", "gpus", "model", "precision", "kv-precision", "isl", "osl", "concurrency", "gpu-hourly-usd"]);
const BOOL_FLAGS = new Set(["offline", "json", "frontier", "help"]);

/** Parses `simulate` arguments (`--flag value`, `--flag=value`; a leading "simulate" word is skipped). Pure. */
export function parseSimulateArgs(argv: string[]): ParsedSimulateArgs {
  const values = new Map<string, string>();
  const bools = new Set<string>();
  const args = argv[0] === "simulate" ? argv.slice(1) : argv;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) return { ok: false, error: `unexpected argument ${arg}` };
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (BOOL_FLAGS.has(name)) {
      if (eq > 0) return { ok: false, error: `--${name} takes no value` };
      bools.add(name);
    } else if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || (eq < 0 && value.startsWith("--"))) return { ok: false, error: `--${name} needs a value` };
      values.set(name, value);
    } else return { ok: false, error: `unknown option --${name}; valid: ${[...VALUE_FLAGS, ...BOOL_FLAGS].map((f) => `--${f}`).join(", ")}` };
  }
  if (bools.has("help")) return { ok: true, help: true };
  const int = (name: string, fallback?: number): number | string => {
    const raw = values.get(name);
    if (raw === undefined) return fallback ?? `--${name} is required`;
    const n = Number(raw);
    return Number.isInteger(n) && n >= 1 ? n : `--${name} must be a positive integer, got ${raw}`;
  };
  const gpuId = values.get("gpu");
  const modelId = values.get("model");
  if (gpuId === undefined) return { ok: false, error: `--gpu is required; valid: ${GPUS.map((g) => g.id).join(", ")}` };
  if (modelId === undefined) return { ok: false, error: `--model is required; valid: ${MODELS.map((m) => m.id).join(", ")}` };
  const gpu = findGpu(gpuId);
  if (!gpu) return { ok: false, error: `unknown GPU "${gpuId}"; valid: ${GPUS.map((g) => g.id).join(", ")}` };
  const model = findModel(modelId);
  if (!model) return { ok: false, error: `unknown model "${modelId}"; valid: ${MODELS.map((m) => m.id).join(", ")}` };
  const precision = values.get("precision") ?? "fp16";
  if (!isPrecision(precision)) return { ok: false, error: `unknown precision "${precision}"; valid: ${PRECISIONS.join(", ")}` };
  const kvRaw = values.get("kv-precision");
  if (kvRaw !== undefined && !isPrecision(kvRaw)) return { ok: false, error: `unknown KV precision "${kvRaw}"; valid: ${PRECISIONS.join(", ")}` };
  const gpus = int("gpus", 1);
  const isl = int("isl");
  const osl = int("osl");
  const concurrency = values.has("concurrency") ? int("concurrency") : undefined;
  for (const v of [gpus, isl, osl, concurrency]) if (typeof v === "string") return { ok: false, error: v };
  if (concurrency !== undefined && bools.has("offline")) return { ok: false, error: "--concurrency and --offline are exclusive" };
  const hourlyRaw = values.get("gpu-hourly-usd");
  const hourly = hourlyRaw === undefined ? undefined : Number(hourlyRaw);
  if (hourly !== undefined && !(Number.isFinite(hourly) && hourly >= 0)) return { ok: false, error: `--gpu-hourly-usd must be a non-negative number, got ${hourlyRaw}` };
  return {
    ok: true, help: false,
    options: {
      gpu, model, precision, kvPrecision: kvRaw !== undefined && isPrecision(kvRaw) ? kvRaw : defaultKvPrecision(gpu, precision),
      gpus: gpus as number, isl: isl as number, osl: osl as number, concurrency: concurrency as number | undefined,
      usdPerGpuHour: hourly, frontier: bools.has("frontier"), json: bools.has("json"),
    },
  };
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * `inferledger simulate`: GPU throughput model from the command line. Pure: returns the exit code and the text for
 * stdout / stderr. Exit 0 = prediction printed; 1 = the model does not fit in the replica's memory; 2 = usage error
 * (unknown ids list the valid ones).
 */
export function runSimulate(argv: string[]): { exitCode: number; stdout: string; stderr: string } {
  const parsed = parseSimulateArgs(argv);
  if (!parsed.ok) return { exitCode: 2, stdout: "", stderr: `error: ${parsed.error}\n${SIMULATE_USAGE}` };
  if (parsed.help) return { exitCode: 0, stdout: SIMULATE_USAGE, stderr: "" };
  const o = parsed.options;
  const workload: Workload = { gpu: o.gpu, model: o.model, gpus: o.gpus, precision: o.precision, kvPrecision: o.kvPrecision, inputTokens: o.isl, outputTokens: o.osl, concurrency: o.concurrency, usdPerGpuHour: o.usdPerGpuHour };
  const p = predict(workload);
  if (!p.fitsInMemory) {
    return { exitCode: 1, stdout: "", stderr: `error: ${o.model.id} at ${o.precision} needs ${p.weightsGBPerGpu.toFixed(1)} GB of weights per GPU and leaves no room for a ${o.isl + o.osl}-token KV cache on ${o.gpus} × ${o.gpu.id}\n` };
  }
  const result = {
    gpu: o.gpu.id, gpus: o.gpus, model: o.model.id, precision: o.precision, kvPrecision: o.kvPrecision, isl: o.isl, osl: o.osl,
    mode: o.concurrency === undefined ? "offline" : "concurrency",
    outputTokensPerSecond: round(p.outputTokensPerSecond, 1),
    outputTokensPerSecondPerGpu: round(p.outputTokensPerSecondPerGpu, 1),
    maxConcurrency: p.maxConcurrency, batch: p.batch,
    ttftMs: round(p.ttftMs, 2), tpotMs: round(p.tpotMs, 3), bound: p.bound,
    usdPerGpuHour: o.usdPerGpuHour ?? null,
    usdPerMillionOutputTokens: p.usdPerMillionOutputTokens === null ? null : round(p.usdPerMillionOutputTokens, 4),
    weightsGBPerGpu: round(p.weightsGBPerGpu, 2), kvBytesPerToken: p.kvBytesPerToken, kvCapacityTokens: p.kvCapacityTokens,
    memoryBandwidthUtilization: round(p.memoryBandwidthUtilization, 3), modelFlopsUtilization: round(p.modelFlopsUtilization, 3),
    warnings: p.warnings,
    ...(o.frontier ? { frontier: frontier(workload).map((f) => ({ batch: f.batch, outputTokensPerSecond: round(f.outputTokensPerSecond, 1), tpotMs: round(f.tpotMs, 3), ttftMs: round(f.ttftMs, 2), usdPerMillionOutputTokens: f.usdPerMillionOutputTokens === null ? null : round(f.usdPerMillionOutputTokens, 4) })) } : {}),
  };
  if (o.json) return { exitCode: 0, stdout: `${JSON.stringify(result)}\n`, stderr: "" };
  const lines = [
    `${o.gpus} × ${o.gpu.name}, ${o.model.name} ${o.precision} (KV ${o.kvPrecision}), ${o.isl} in / ${o.osl} out, ${result.mode}`,
    `  ${result.outputTokensPerSecond} output tokens/s (${result.outputTokensPerSecondPerGpu} per GPU), batch ${p.batch} of max ${p.maxConcurrency}, ${p.bound}-bound`,
    `  TTFT ${result.ttftMs} ms, TPOT ${result.tpotMs} ms${result.usdPerMillionOutputTokens !== null ? `, $${result.usdPerMillionOutputTokens} per 1M output tokens` : ""}`,
    ...p.warnings.map((w) => `  warning: ${w}`),
    ...(result.frontier ? ["  batch  tokens/s  TPOT ms  TTFT ms", ...result.frontier.map((f) => `  ${String(f.batch).padStart(5)} ${String(f.outputTokensPerSecond).padStart(9)} ${String(f.tpotMs).padStart(8)} ${String(f.ttftMs).padStart(8)}`)] : []),
  ];
  return { exitCode: 0, stdout: `${lines.join("\n")}\n`, stderr: "" };
}
