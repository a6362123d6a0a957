/**
 * GPU throughput model accuracy against measured offline-max rows (shared/reference/throughput-dev.csv,
 * TensorRT-LLM v0.17 `trtllm-bench throughput`).
 *   npx tsx bench/model-accuracy.ts [path/to/throughput-dev.csv] [--json]
 * Prints each row's prediction with the shipped DEFAULT_EFFICIENCY, then median / p90 absolute % error for:
 * the shipped factors, literature priors (no fitting at all), a refit on all rows (in-sample), and held-out
 * refits — leave-one-row-out, leave-one-GPU-out, leave-one-model-out, leave-one-TP-degree-out — where the
 * factors predicting a row were fitted without it (or without its whole group).
 */
import fs from "node:fs";
import path from "node:path";
import { absPercentError, fitEfficiency, percentile, type Measurement } from "../server/domain/gpu-model/calibration.ts";
import { findGpu, findModel, isPrecision } from "../server/domain/gpu-model/catalog.ts";
import { DEFAULT_EFFICIENCY, PRIOR_EFFICIENCY, type Efficiency } from "../server/domain/gpu-model/efficiency.ts";
import { predict } from "../server/domain/gpu-model/model.ts";

// The measurement's engine settings (not fitted): TRT-LLM perf runs give 95 % of free memory to the KV cache.
const ENGINE = { kvMemoryFraction: 0.95 };
const GPU_IDS: Record<string, string> = { "H200-SXM-141GB": "h200", "H100-SXM-80GB": "h100-sxm", L40S: "l40s", "A100-SXM4-80GB": "a100-80gb", "GH200-480GB": "gh200" };
const args = process.argv.slice(2);
const json = args.includes("--json");
const file = args.find((a) => !a.startsWith("--")) ?? path.resolve(import.meta.dirname, "../../shared/reference/throughput-dev.csv");
const [header, ...lines] = fs.readFileSync(file, "utf8").trim().split("\n");
const cols = header!.split(",");
type Row = { id: string; m: Measurement; gpu: string; model: string; tp: number };
const rows: Row[] = lines.map((line) => {
  const v = Object.fromEntries(line.split(",").map((x, i) => [cols[i], x])) as Record<string, string>;
  const gpu = findGpu(GPU_IDS[v.gpu!] ?? "");
  const model = findModel(v.model!.toLowerCase());
  const precision = v.precision!.toLowerCase();
  if (!gpu || !model || !isPrecision(precision)) throw new Error(`unknown GPU, model or precision in ${v.id}: ${v.gpu} / ${v.model} / ${v.precision}`);
  const tp = Number(v.tp);
  return { id: v.id!, gpu: gpu.id, model: model.id, tp, m: { workload: { gpu, model, gpus: tp, precision, inputTokens: Number(v.isl), outputTokens: Number(v.osl) }, measuredTokensPerSecond: Number(v.total_output_tok_s) } };
});

const withEngine = (e: Efficiency): Efficiency => ({ ...e, ...ENGINE });
const errorOf = (r: Row, e: Efficiency): number => absPercentError(predict(r.m.workload, withEngine(e)).outputTokensPerSecond, r.m.measuredTokensPerSecond);
const fit = (train: Row[]): Efficiency => fitEfficiency(train.map((r) => r.m), { base: withEngine(DEFAULT_EFFICIENCY), prior: withEngine(PRIOR_EFFICIENCY) }).efficiency;

function heldOut(groupOf: (r: Row) => string): number[] {
  const errors: number[] = [];
  for (const group of new Set(rows.map(groupOf))) {
    const eff = fit(rows.filter((r) => groupOf(r) !== group));
    for (const r of rows.filter((x) => groupOf(x) === group)) errors.push(errorOf(r, eff));
  }
  return errors;
}

const t0 = performance.now();
const shipped = rows.map((r) => errorOf(r, DEFAULT_EFFICIENCY));
const allFit = fit(rows);
const results: Record<string, number[]> = {
  "shipped DEFAULT_EFFICIENCY": shipped,
  "literature priors, no fit": rows.map((r) => errorOf(r, PRIOR_EFFICIENCY)),
  "refit on all rows (in-sample)": rows.map((r) => errorOf(r, allFit)),
  "leave-one-row-out": heldOut((r) => r.id),
  "leave-one-GPU-out": heldOut((r) => r.gpu),
  "leave-one-model-out": heldOut((r) => r.model),
  "leave-one-TP-degree-out": heldOut((r) => String(r.tp)),
};
const seconds = (performance.now() - t0) / 1000;
const summary = Object.fromEntries(Object.entries(results).map(([k, e]) => [k, { medianPct: +percentile(e, 50).toFixed(1), p90Pct: +percentile(e, 90).toFixed(1), n: e.length }]));

if (json) {
  console.log(JSON.stringify({ date: new Date().toISOString(), rows: rows.length, seconds: +seconds.toFixed(1), refitOnAllRows: allFit, summary }, null, 2));
} else {
  console.log(`shipped factors: ${JSON.stringify(DEFAULT_EFFICIENCY)} (engine: ${JSON.stringify(ENGINE)})\n`);
  console.log("id    gpu        model            tp prec isl/osl       measured  predicted   err%  batch bound");
  for (const r of rows) {
    const p = predict(r.m.workload, withEngine(DEFAULT_EFFICIENCY));
    const w = r.m.workload;
    const signed = ((p.outputTokensPerSecond - r.m.measuredTokensPerSecond) / r.m.measuredTokensPerSecond) * 100;
    console.log(`${r.id.padEnd(5)} ${r.gpu.padEnd(10)} ${r.model.padEnd(16)} ${String(w.gpus).padStart(2)} ${w.precision.padEnd(4)} ${`${w.inputTokens}/${w.outputTokens}`.padEnd(12)} ${r.m.measuredTokensPerSecond.toFixed(0).padStart(9)} ${p.outputTokensPerSecond.toFixed(0).padStart(10)} ${signed.toFixed(1).padStart(6)} ${String(p.batch).padStart(6)} ${p.bound}`);
  }
  console.log(`\nrefit on all rows: ${JSON.stringify(allFit)}\n`);
  for (const [k, s] of Object.entries(summary)) console.log(`${k.padEnd(32)} median ${s.medianPct.toFixed(1).padStart(5)}%  p90 ${s.p90Pct.toFixed(1).padStart(5)}%  (n=${s.n})`);
  console.log(`\n${new Date().toISOString()}, ${seconds.toFixed(1)} s`);
}
