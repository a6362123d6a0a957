"use client";
import { GPUS, MODELS, PRECISIONS, type Precision } from "~/server/domain/gpu-model/catalog.ts";
import type { QuantizationScenario, SelfHostScenario } from "~/server/domain/whatif/types.ts";
import { FeatureMatch, NumberField, PercentSlider, SelectField, UsdField } from "./fields.tsx";
import type { TrafficChoices } from "./traffic-context.ts";

const GPU_OPTIONS = GPUS.map((g) => ({ value: g.id, label: g.name }));
const MODEL_OPTIONS = MODELS.map((m) => ({ value: m.id, label: m.name }));
const PRECISION_OPTIONS = PRECISIONS.map((p) => ({ value: p, label: p }));
const TP_OPTIONS = ["1", "2", "4", "8"].map((n) => ({ value: n, label: n }));

/** Self-host (1), hybrid (4) and the inputs of the break-even chart (3): model on GPU, count or auto-size to an SLO, ops cost. */
export function SelfHostEditor({ s, choices, onChange }: { s: SelfHostScenario; choices: TrafficChoices; onChange: (s: SelfHostScenario) => void }) {
  const set = (patch: Partial<SelfHostScenario>) => onChange({ ...s, ...patch });
  const auto = s.replicas === "auto";
  return (
    <div className="inline-form">
      <FeatureMatch match={s.match} features={choices.features} onChange={(match) => set({ match })} />
      <SelectField label="Model" value={typeof s.model === "string" ? s.model : s.model.id} options={MODEL_OPTIONS} onChange={(model) => set({ model })} />
      <SelectField label="GPU type" value={s.gpuId} options={GPU_OPTIONS} onChange={(gpuId) => set({ gpuId })} />
      <SelectField label="GPUs per replica (tensor parallel)" value={String(s.gpusPerReplica)} options={TP_OPTIONS} onChange={(v) => set({ gpusPerReplica: Number(v) })} />
      <SelectField<Precision> label="Weights precision" value={s.precision} options={PRECISION_OPTIONS} onChange={(precision) => set({ precision })} />
      <UsdField label="USD per GPU-hour" value={s.usdPerGpuHour} onChange={(usdPerGpuHour) => set({ usdPerGpuHour })} />
      <UsdField label="Ops cost, USD per month" value={s.monthlyOpsUsd ?? "0"} onChange={(monthlyOpsUsd) => set({ monthlyOpsUsd })} />
      <label className="checkbox"><input type="checkbox" checked={auto} onChange={(e) => set({ replicas: e.target.checked ? "auto" : 1 })} /> auto-size replicas</label>
      {auto ? (
        <NumberField label="Latency SLO: time per output token (ms)" value={s.slo?.tpotMs ?? 50} min={1} onChange={(tpotMs) => set({ slo: { ...s.slo, tpotMs }, batch: undefined })} />
      ) : (
        <NumberField label="Replicas (count)" value={s.replicas as number} min={0} max={10_000} onChange={(replicas) => set({ replicas: Math.round(replicas) })} />
      )}
      <PercentSlider label="Target peak utilization" value={s.targetUtilization ?? 0.8} onChange={(targetUtilization) => set({ targetUtilization: Math.max(0.05, targetUtilization) })} />
      {s.overflow === "api" && (
        <NumberField label="Baseline: size for this percentile of hourly demand (%)" value={s.baselinePercentile ?? 80} min={1} max={100} onChange={(baselinePercentile) => set({ baselinePercentile })} />
      )}
      <label className="checkbox"><input type="checkbox" checked={s.overflow === "api"} onChange={(e) => set({ overflow: e.target.checked ? "api" : "none" })} /> overflow peaks to the API (hybrid)</label>
    </div>
  );
}

/** Quantization (2): precision of the self-hosted pools and the batch / SLO operating point. */
export function QuantizationEditor({ s, onChange }: { s: QuantizationScenario; onChange: (s: QuantizationScenario) => void }) {
  const mode = s.batch !== undefined ? "batch" : s.slo !== undefined ? "slo" : "keep";
  return (
    <div className="inline-form">
      <SelectField<Precision> label="Quantize weights to" value={s.precision ?? "fp8"} options={PRECISION_OPTIONS} onChange={(precision) => onChange({ ...s, precision })} />
      <SelectField
        label="Operating point"
        value={mode}
        options={[{ value: "keep", label: "as the pool" }, { value: "batch", label: "fixed batch size" }, { value: "slo", label: "largest batch within an SLO" }]}
        onChange={(m) => onChange({ kind: "quantization", precision: s.precision, kvPrecision: s.kvPrecision, ...(m === "batch" ? { batch: 32 } : m === "slo" ? { slo: { tpotMs: 40 } } : {}) })}
      />
      {mode === "batch" && <NumberField label="Batch size (sequences)" value={s.batch ?? 32} min={1} onChange={(batch) => onChange({ ...s, batch: Math.round(batch), slo: undefined })} />}
      {mode === "slo" && <NumberField label="SLO: time per output token (ms)" value={s.slo?.tpotMs ?? 40} min={1} onChange={(tpotMs) => onChange({ ...s, slo: { tpotMs }, batch: undefined })} />}
    </div>
  );
}
