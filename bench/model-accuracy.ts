/**
 * GPU throughput model accuracy against measured offline-max rows (shared/reference/throughput-dev.csv, TRT-LLM v0.17).
 *   npx tsx bench/model-accuracy.ts [path/to/throughput-dev.csv]
 * Prints each row's prediction and error with efficiency factors fitted on ALL rows, then the honest numbers:
 * leave-one-GPU-out and leave-one-model-family-out (factors fitted without the rows being predicted).
 */
import fs from "node:fs";
import path from "node:path";
import { absPercentError, fitEfficiency, percentile, type Measurement } from "../server/domain/gpu-model/calibrate.ts";
import { findGpu, findModel, type Precision } from "../server/domain/gpu-model/catalog.ts";
import { predict } from "../server/domain/gpu-model/throughput.ts";

const GPU_IDS: Record<string, string> = { "H200-SXM-141GB": "h200", "H100-SXM-80GB": "h100-sxm", L40S: "l40s", "A100-SXM4-80GB": "a100-80gb", "GH200-480GB": "gh200" };
const file = process.argv[2] ?? path.resolve(import.meta.dirname, "../../shared/reference/throughput-dev.csv");
const [header, ...lines] = fs.readFileSync(file, "utf8").trim().split("\n");
const cols = header!.split(",");
type Row = { id: string; m: Measurement; gpu: string; model: string };
const rows: Row[] = lines.map((line) => {
  const v = Object.fromEntries(line.split(",").map((x, i) => [cols[i], x]));
  const gpu = findGpu(GPU_IDS[v.gpu!] ?? "");
  const model = findModel(v.model!.toLowerCase());
  if (!gpu || !model) throw new Error(`unknown GPU or model in ${v.id}: ${v.gpu} / ${v.model}`);
  return {
    id: v.id!, gpu: gpu.id, model: model.id,
    m: { workload: { gpu, model, gpus: Number(v.tp), precision: v.precision!.toLowerCase() as Precision, inputTokens: Number(v.isl), outputTokens: Number(v.osl) }, measuredTokensPerSecond: Number(v.total_output_tok_s) },
  };
});

const fit = fitEfficiency(rows.map((r) => r.m));
console.log(`fitted on all ${rows.length} rows: ${JSON.stringify(fit.efficiency)}\n`);
console.log("id    gpu        model            tp prec isl/osl       measured   predicted  err%  bound");
const inSample: number[] = [];
for (const r of rows) {
  const p = predict(r.m.workload, fit.efficiency);
  const e = absPercentError(p.outputTokensPerSecond, r.m.measuredTokensPerSecond);
  inSample.push(e);
  const w = r.m.workload;
  console.log(`${r.id.padEnd(5)} ${r.gpu.padEnd(10)} ${r.model.padEnd(16)} ${String(w.gpus).padStart(2)} ${w.precision.padEnd(4)} ${`${w.inputTokens}/${w.outputTokens}`.padEnd(12)} ${r.m.measuredTokensPerSecond.toFixed(0).padStart(9)} ${p.outputTokensPerSecond.toFixed(0).padStart(10)} ${e.toFixed(1).padStart(5)}  ${p.bound}`);
}

function heldOut(groupOf: (r: Row) => string): number[] {
  const errors: number[] = [];
  for (const group of new Set(rows.map(groupOf))) {
    const train = rows.filter((r) => groupOf(r) !== group);
    const eff = fitEfficiency(train.map((r) => r.m)).efficiency;
    for (const r of rows.filter((x) => groupOf(x) === group)) errors.push(absPercentError(predict(r.m.workload, eff).outputTokensPerSecond, r.m.measuredTokensPerSecond));
  }
  return errors;
}
const summary = (name: string, e: number[]) => console.log(`${name.padEnd(34)} median ${percentile(e, 50).toFixed(1)}%  p90 ${percentile(e, 90).toFixed(1)}%  (n=${e.length})`);
console.log("");
summary("in-sample (fit on all rows)", inSample);
summary("leave-one-GPU-out", heldOut((r) => r.gpu));
summary("leave-one-model-family-out", heldOut((r) => r.model.replace(/-\d+(\.\d+)?b.*$/, "")));
summary("leave-one-model-size-out", heldOut((r) => r.model));
