"use client";
import { useMemo, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { findGpu, findModel, GPUS, MODELS, PRECISIONS, type Precision } from "~/server/domain/gpu-model/catalog.ts";
import { frontier, operatingPoint } from "~/server/domain/gpu-model/frontier.ts";
import { predict } from "~/server/domain/gpu-model/model.ts";
import { blendedApiUsdPerMOutputTokens, breakEvenChart, type TrafficIndex } from "~/server/domain/whatif/index.ts";
import type { SelfHostScenario } from "~/server/domain/whatif/types.ts";
import { formatCount, formatUsd } from "../../../../_charts/format.ts";

type Props = { index: TrafficIndex; meanInputTokens: number; meanOutputTokens: number; defaultUsdPerGpuHour: string; onAdd: (s: SelfHostScenario) => void };

/**
 * The GPU model for one replica: throughput–latency frontier over batch sizes with the SLO operating point, and
 * self-host vs API monthly cost by volume (break-even) at the org's own blended API price of the period.
 */
export function ExplorerPanel({ index, meanInputTokens, meanOutputTokens, defaultUsdPerGpuHour, onAdd }: Props) {
  const [gpuId, setGpuId] = useState("h100-sxm");
  const [gpus, setGpus] = useState(2);
  const [modelId, setModelId] = useState("llama-3.1-70b");
  const [precision, setPrecision] = useState<Precision>("fp8");
  const [isl, setIsl] = useState(Math.max(64, Math.min(16000, meanInputTokens)));
  const [osl, setOsl] = useState(Math.max(16, Math.min(4096, meanOutputTokens)));
  const [hourly, setHourly] = useState(Number(defaultUsdPerGpuHour));
  const [ops, setOps] = useState(2000);
  const [tpotSlo, setTpotSlo] = useState(50);
  const [utilization, setUtilization] = useState(0.5);
  const num = (set: (n: number) => void) => (e: { target: { value: string } }) => { const v = Number(e.target.value); if (Number.isFinite(v) && v >= 0) set(v); };

  const workload = { gpu: findGpu(gpuId)!, model: findModel(modelId)!, gpus, precision, inputTokens: isl, outputTokens: osl, usdPerGpuHour: hourly };
  const offline = predict(workload);
  const op = operatingPoint(workload, { tpotMs: tpotSlo });
  const curve = useMemo(() => (offline.fitsInMemory ? frontier(workload) : []), [gpuId, gpus, modelId, precision, isl, osl, offline.fitsInMemory]);
  const apiPrice = useMemo(() => blendedApiUsdPerMOutputTokens(index, { selfHosted: false }), [index]);
  let apiOutputM = 0;
  for (const g of index.groups) if (!g.isSelfHosted) apiOutputM += g.outputTokens / 1e6;
  const monthlyApiOutputM = (apiOutputM * 730) / index.hours;
  const beInput = apiPrice && op.prediction.fitsInMemory
    ? { apiUsdPerMOutputTokens: apiPrice, replicaOutputTokensPerSecond: op.prediction.outputTokensPerSecond, gpusPerReplica: gpus, usdPerGpuHour: String(hourly), monthlyOpsUsd: String(ops), targetUtilization: utilization }
    : null;
  // The volume axis reaches past both the org's volume and the break-even point (when there is one within 100×).
  const breakEvenM = beInput ? breakEvenChart(beInput, 1, 1).breakEvenMillionOutputTokensPerMonth : null;
  const axisMaxM = Math.max(monthlyApiOutputM * 4, 50, breakEvenM !== null && breakEvenM < monthlyApiOutputM * 100 + 1000 ? breakEvenM * 1.5 : 0);
  const be = beInput ? breakEvenChart(beInput, axisMaxM) : null;
  const beData = be?.points.map((p) => ({ volume: p.millionOutputTokensPerMonth, apiUsd: Number(p.apiUsd), selfHostUsd: Number(p.selfHostUsd) })) ?? [];

  return (
    <section className="panel" aria-label="GPU model">
      <h2>GPU model: one replica, its frontier and the break-even volume</h2>
      <form className="inline-form" aria-label="Scenario" onSubmit={(e) => e.preventDefault()}>
        <label>GPU<select aria-label="GPU" value={gpuId} onChange={(e) => setGpuId(e.target.value)}>{GPUS.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}</select></label>
        <label>GPUs (tensor parallel)<select aria-label="GPUs (tensor parallel)" value={gpus} onChange={num(setGpus)}>{[1, 2, 4, 8].map((n) => <option key={n} value={n}>{n}</option>)}</select></label>
        <label>Model<select aria-label="Model" value={modelId} onChange={(e) => setModelId(e.target.value)}>{MODELS.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}</select></label>
        <label>Precision<select aria-label="Precision" value={precision} onChange={(e) => setPrecision(e.target.value as Precision)}>{PRECISIONS.map((x) => <option key={x} value={x}>{x}</option>)}</select></label>
        <label>Input tokens per request: {isl}<input type="range" min={64} max={16000} step={16} value={isl} onChange={num(setIsl)} aria-label="Input tokens per request" /></label>
        <label>Output tokens per request: {osl}<input type="range" min={16} max={4096} step={16} value={osl} onChange={num(setOsl)} aria-label="Output tokens per request" /></label>
        <label>USD per GPU-hour<input type="number" aria-label="USD per GPU-hour (model)" min={0} step={0.01} value={hourly} onChange={num(setHourly)} /></label>
        <label>Ops cost, USD per month<input type="number" aria-label="Ops cost, USD per month (break-even)" min={0} step={100} value={ops} onChange={num(setOps)} /></label>
        <label>SLO: time per output token (ms)<input type="number" aria-label="SLO time per output token (ms)" min={1} value={tpotSlo} onChange={num(setTpotSlo)} /></label>
        <label>Average utilization: {Math.round(utilization * 100)}%<input type="range" min={0.05} max={1} step={0.05} value={utilization} onChange={num(setUtilization)} aria-label="Average utilization" /></label>
        <button type="button" disabled={!offline.fitsInMemory} onClick={() => onAdd({ kind: "self-host", match: { selfHosted: false }, gpuId, model: modelId, gpusPerReplica: gpus, precision, usdPerGpuHour: String(hourly), replicas: "auto", slo: { tpotMs: tpotSlo }, monthlyOpsUsd: String(ops), targetUtilization: 0.8 })}>Add as self-host scenario</button>
      </form>
      {!offline.fitsInMemory && (
        <p role="alert" className="error">{workload.model.name} at {precision} needs {offline.weightsGBPerGpu.toFixed(1)} GB per GPU: no room for the KV cache on {gpus} × {workload.gpu.name}.</p>
      )}
      <div className="kpis">
        <div className="kpi"><div className="kpi-label">Offline max, output tokens/s (replica)</div><div className="kpi-value" data-testid="whatif-throughput">{offline.fitsInMemory ? formatCount(Math.round(offline.outputTokensPerSecond)) : "does not fit"}</div></div>
        <div className="kpi"><div className="kpi-label">At the SLO: batch · tokens/s</div><div className="kpi-value small">{!offline.fitsInMemory ? "—" : op.meetsSlo ? `${op.prediction.batch} · ${formatCount(Math.round(op.prediction.outputTokensPerSecond))}` : "misses the SLO at batch 1"}</div></div>
        <div className="kpi"><div className="kpi-label">TTFT / TPOT at the SLO point</div><div className="kpi-value small">{offline.fitsInMemory ? `${op.prediction.ttftMs.toFixed(0)} ms / ${op.prediction.tpotMs.toFixed(1)} ms` : "—"}</div></div>
        <div className="kpi"><div className="kpi-label">USD per 1M output tokens (100% busy, offline)</div><div className="kpi-value">{offline.fitsInMemory ? formatUsd(offline.usdPerMillionOutputTokens) : "—"}</div></div>
        <div className="kpi"><div className="kpi-label">Your API, USD per 1M output tokens (input included)</div><div className="kpi-value">{apiPrice === null ? "—" : formatUsd(apiPrice)}</div></div>
      </div>
      <div className="two-col">
        <div>
          <h3>Throughput–latency frontier (by batch size)</h3>
          <ResponsiveContainer width="100%" height={260}>
            <LineChart data={curve} margin={{ top: 20, right: 12, left: 12, bottom: 18 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="tpotMs" type="number" domain={[0, "auto"]} tickFormatter={(v: number) => `${v.toFixed(0)} ms`} fontSize={12} label={{ value: "time per output token (ms)", position: "insideBottom", offset: -10, fontSize: 12 }} />
              <YAxis dataKey="outputTokensPerSecond" tickFormatter={(v: number) => formatCount(Math.round(v))} fontSize={12} width={80} label={{ value: "output tokens/s", angle: -90, position: "insideLeft", fontSize: 12 }} />
              <Tooltip formatter={(v) => `${formatCount(Math.round(Number(v)))} tokens/s`} labelFormatter={(l) => `TPOT ${Number(l).toFixed(1)} ms`} />
              <ReferenceLine x={tpotSlo} stroke="#b42318" strokeDasharray="4 4" label={{ value: "SLO", fontSize: 11, position: "top" }} />
              {op.meetsSlo && <ReferenceDot x={op.prediction.tpotMs} y={op.prediction.outputTokensPerSecond} r={5} fill="#b42318" />}
              <Line dataKey="outputTokensPerSecond" name="output tokens/s" stroke="#1f5fbf" isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
        <div>
          <h3>Self-host vs API, USD per month by volume</h3>
          {be === null ? (
            <p className="muted">{apiPrice === null ? "No API traffic with output tokens in this period to compare with." : "The model does not fit on these GPUs."}</p>
          ) : (
            <>
              <p className="muted" data-testid="break-even">
                Break-even: {be.breakEvenMillionOutputTokensPerMonth === null ? "never (a replica costs more than the API at full use)" : `${formatCount(Math.round(be.breakEvenMillionOutputTokensPerMonth))}M output tokens/month`}; your API volume: {formatCount(Math.round(monthlyApiOutputM))}M/month.
              </p>
              <ResponsiveContainer width="100%" height={230}>
                <LineChart data={beData} margin={{ top: 8, right: 12, left: 12, bottom: 18 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="volume" type="number" tickFormatter={(v: number) => `${Math.round(v)}M`} fontSize={12} label={{ value: "output tokens per month (millions)", position: "insideBottom", offset: -10, fontSize: 12 }} />
                  <YAxis tickFormatter={(v: number) => formatUsd(v)} fontSize={12} width={90} label={{ value: "USD/month", angle: -90, position: "insideLeft", fontSize: 12 }} />
                  <Tooltip formatter={(v) => `${formatUsd(Number(v))}/month`} labelFormatter={(l) => `${Math.round(Number(l))}M output tokens/month`} />
                  <Legend verticalAlign="top" />
                  <ReferenceLine x={monthlyApiOutputM} stroke="#5b6573" strokeDasharray="4 4" label={{ value: "you", fontSize: 11, position: "top" }} />
                  <Line dataKey="apiUsd" name="API" stroke="#e07b00" dot={false} isAnimationActive={false} />
                  <Line dataKey="selfHostUsd" name="self-hosted (GPUs + ops)" stroke="#1f5fbf" dot={false} isAnimationActive={false} type="stepAfter" />
                </LineChart>
              </ResponsiveContainer>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
