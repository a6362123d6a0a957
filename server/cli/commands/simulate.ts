import { findGpu, findModel, GPUS, MODELS, PRECISIONS, type Precision } from "../../domain/gpu-model/catalog.ts";
import { predict } from "../../domain/gpu-model/throughput.ts";
import { stringFlag, UsageError, type ParsedArgs } from "../args.ts";
import type { CommandIo } from "../main.ts";

const USAGE = `usage: inferledger simulate --gpu <id> [--gpus N] --model <id> [--precision fp8] --isl <tokens> --osl <tokens>
                          [--concurrency N | --offline] [--gpu-hourly-usd 2.49] [--json]`;

function positiveInt(args: ParsedArgs, name: string, fallback?: number): number {
  const raw = stringFlag(args, name);
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UsageError(`--${name} is required\n${USAGE}`);
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got ${raw}`);
  return n;
}

/** GPU throughput model from the command line: pure computation, no database. */
export async function simulate(args: ParsedArgs, io: CommandIo): Promise<number> {
  const gpuId = stringFlag(args, "gpu");
  const modelId = stringFlag(args, "model");
  if (!gpuId || !modelId) throw new UsageError(USAGE);
  const gpu = findGpu(gpuId);
  if (!gpu) throw new UsageError(`unknown --gpu ${gpuId}; valid: ${GPUS.map((g) => g.id).join(", ")}`);
  const model = findModel(modelId);
  if (!model) throw new UsageError(`unknown --model ${modelId}; valid: ${MODELS.map((m) => m.id).join(", ")}`);
  const precision = (stringFlag(args, "precision") ?? "fp16") as Precision;
  if (!PRECISIONS.includes(precision)) throw new UsageError(`unknown --precision ${precision}; valid: ${PRECISIONS.join(", ")}`);
  const concurrency = args.flags.has("offline") ? undefined : stringFlag(args, "concurrency") !== undefined ? positiveInt(args, "concurrency") : undefined;
  const hourly = stringFlag(args, "gpu-hourly-usd");
  if (hourly !== undefined && !(Number(hourly) >= 0)) throw new UsageError(`--gpu-hourly-usd must be a number, got ${hourly}`);
  const p = predict({
    gpu, model, gpus: positiveInt(args, "gpus", 1), precision, inputTokens: positiveInt(args, "isl"), outputTokens: positiveInt(args, "osl"),
    concurrency, usdPerGpuHour: hourly === undefined ? undefined : Number(hourly),
  });
  if (!p.fitsInMemory) {
    io.err(`${model.id} at ${precision} (${p.weightsGBPerGpu.toFixed(1)} GB per GPU) leaves no room for the KV cache on ${positiveInt(args, "gpus", 1)} × ${gpu.id}\n`);
    return 2;
  }
  const result = {
    gpu: gpu.id, gpus: positiveInt(args, "gpus", 1), model: model.id, precision, isl: positiveInt(args, "isl"), osl: positiveInt(args, "osl"),
    mode: concurrency === undefined ? "offline" : "concurrency",
    outputTokensPerSecond: Math.round(p.outputTokensPerSecond), outputTokensPerSecondPerGpu: Math.round(p.outputTokensPerSecondPerGpu),
    maxConcurrency: p.maxConcurrency, batch: p.batch, ttftMs: Number(p.ttftMs.toFixed(1)), tpotMs: Number(p.tpotMs.toFixed(2)), bound: p.bound,
    usdPerMillionOutputTokens: p.usdPerMillionOutputTokens === null ? null : Number(p.usdPerMillionOutputTokens.toFixed(4)),
    weightsGBPerGpu: Number(p.weightsGBPerGpu.toFixed(2)), kvBytesPerToken: p.kvBytesPerToken,
  };
  if (args.flags.has("json")) io.out(`${JSON.stringify(result)}\n`);
  else {
    io.out(`${result.gpus} × ${gpu.name}, ${model.name} ${precision}, ${result.isl} in / ${result.osl} out (${result.mode})\n`);
    io.out(`  ${result.outputTokensPerSecond} output tokens/s (${result.outputTokensPerSecondPerGpu}/GPU), batch ${result.batch} of max ${result.maxConcurrency}, ${result.bound}-bound\n`);
    io.out(`  TTFT ${result.ttftMs} ms, TPOT ${result.tpotMs} ms${result.usdPerMillionOutputTokens !== null ? `, $${result.usdPerMillionOutputTokens} per 1M output tokens` : ""}\n`);
  }
  return 0;
}
