"use client";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { useMemo, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { breakEvenCurve, breakEvenVolume } from "~/server/domain/gpu-model/break-even.ts";
import { findGpu, findModel, GPUS, MODELS, PRECISIONS, type Precision } from "~/server/domain/gpu-model/catalog.ts";
import { frontier, predict } from "~/server/domain/gpu-model/throughput.ts";
import { formatCount, formatUsd } from "../../../_charts/format.ts";
import { ErrorState, Loading } from "../../../_components/states.tsx";
import { useTRPC } from "../../../_trpc/react.tsx";

/** Self-host what-if: the GPU throughput model runs in the browser (server/domain is isomorphic). */
export default function WhatIfPage() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const trpc = useTRPC();
  const overview = useQuery(trpc.costs.overview.queryOptions({ orgSlug, period: "30d" }));
  const [gpuId, setGpuId] = useState("h100-sxm");
  const [gpus, setGpus] = useState(1);
  const [modelId, setModelId] = useState("llama-3.1-8b");
  const [precision, setPrecision] = useState<Precision>("fp8");
  const [isl, setIsl] = useState(1500);
  const [osl, setOsl] = useState(300);
  const [hourly, setHourly] = useState(2.49);
  const [ops, setOps] = useState(2000);
  const [utilization, setUtilization] = useState(0.4);

  const gpu = findGpu(gpuId)!;
  const model = findModel(modelId)!;
  const workload = { gpu, model, gpus, precision, inputTokens: isl, outputTokens: osl, usdPerGpuHour: hourly };
  const p = predict(workload);
  const curve = useMemo(() => frontier({ gpu: findGpu(gpuId)!, model: findModel(modelId)!, gpus, precision, inputTokens: isl, outputTokens: osl }), [gpuId, gpus, modelId, precision, isl, osl]);

  if (overview.isPending) return <Loading />;
  if (overview.error) return <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />;
  const api = overview.data.current;
  const apiPerMillionOutput = api.outputTokens > 0 ? (Number(api.apiCostUsd) / api.outputTokens) * 1e6 : null;
  const actualMonthlyOutputM = api.outputTokens / 1e6;
  const beInput = { apiUsdPerMillionOutput: apiPerMillionOutput ?? 0, gpusPerReplica: gpus, usdPerGpuHour: hourly, replicaOutputTokensPerSecond: p.outputTokensPerSecond, monthlyOpsUsd: ops, targetUtilization: utilization };
  const maxVolume = Math.max(actualMonthlyOutputM * 4, 100);
  const be = apiPerMillionOutput ? breakEvenVolume(beInput, maxVolume) : null;
  const beCurve = apiPerMillionOutput ? breakEvenCurve(beInput, maxVolume) : [];
  const num = (set: (n: number) => void) => (e: { target: { value: string } }) => set(Number(e.target.value));

  return (
    <section>
      <h1>What-if: self-host on GPUs</h1>
      <p className="muted">Modelled offline throughput (roofline, efficiency fitted to TensorRT-LLM measurements; see bench/RESULTS.md for its error) against your last 30 days of API spend.</p>
      <form className="inline-form" aria-label="Scenario" onSubmit={(e) => e.preventDefault()}>
        <label>GPU<select aria-label="GPU" value={gpuId} onChange={(e) => setGpuId(e.target.value)}>{GPUS.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}</select></label>
        <label>GPUs (tensor parallel)<select value={gpus} onChange={num(setGpus)}>{[1, 2, 4, 8].map((n) => <option key={n} value={n}>{n}</option>)}</select></label>
        <label>Model<select aria-label="Model" value={modelId} onChange={(e) => setModelId(e.target.value)}>{MODELS.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}</select></label>
        <label>Precision<select value={precision} onChange={(e) => setPrecision(e.target.value as Precision)}>{PRECISIONS.map((x) => <option key={x} value={x}>{x}</option>)}</select></label>
        <label>Input tokens: {isl}<input type="range" min={64} max={16000} step={64} value={isl} onChange={num(setIsl)} aria-label="Input tokens per request" /></label>
        <label>Output tokens: {osl}<input type="range" min={16} max={4096} step={16} value={osl} onChange={num(setOsl)} aria-label="Output tokens per request" /></label>
        <label>$ per GPU-hour<input type="number" min={0} step={0.01} value={hourly} onChange={num(setHourly)} /></label>
        <label>Ops $ / month<input type="number" min={0} step={100} value={ops} onChange={num(setOps)} /></label>
        <label>Utilization: {(utilization * 100).toFixed(0)}%<input type="range" min={0.1} max={1} step={0.05} value={utilization} onChange={num(setUtilization)} aria-label="Average utilization" /></label>
      </form>
      {!p.fitsInMemory ? (
        <p role="alert" className="error">{model.name} at {precision} needs {p.weightsGBPerGpu.toFixed(1)} GB per GPU: no room for the KV cache on {gpus} × {gpu.name}.</p>
      ) : (
        <div className="kpis" data-testid="whatif-results">
          <div className="kpi"><div className="kpi-label">Output tokens/s (total)</div><div className="kpi-value" data-testid="whatif-throughput">{formatCount(Math.round(p.outputTokensPerSecond))}</div></div>
          <div className="kpi"><div className="kpi-label">$ per 1M output tokens (at 100% use)</div><div className="kpi-value">{formatUsd(p.usdPerMillionOutputTokens)}</div></div>
          <div className="kpi"><div className="kpi-label">Batch / bound</div><div className="kpi-value small">{p.batch} · {p.bound}</div></div>
          <div className="kpi"><div className="kpi-label">TTFT / TPOT</div><div className="kpi-value small">{p.ttftMs.toFixed(0)} ms / {p.tpotMs.toFixed(1)} ms</div></div>
          <div className="kpi"><div className="kpi-label">Your API $ per 1M output tokens</div><div className="kpi-value">{apiPerMillionOutput === null ? "—" : formatUsd(apiPerMillionOutput)}</div></div>
        </div>
      )}
      <div className="two-col">
        <section className="panel">
          <h2>Throughput–latency frontier</h2>
          <ResponsiveContainer width="100%" height={260}>
            <LineChart data={curve} margin={{ top: 8, right: 12, left: 12, bottom: 16 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="tpotMs" type="number" tickFormatter={(v: number) => `${v.toFixed(0)} ms`} fontSize={12} label={{ value: "time per output token (ms)", position: "insideBottom", offset: -8, fontSize: 12 }} />
              <YAxis dataKey="outputTokensPerSecond" tickFormatter={(v: number) => formatCount(Math.round(v))} fontSize={12} width={80} label={{ value: "tokens/s", angle: -90, position: "insideLeft", fontSize: 12 }} />
              <Tooltip formatter={(v) => formatCount(Math.round(Number(v)))} labelFormatter={(l) => `TPOT ${Number(l).toFixed(1)} ms`} />
              <Line dataKey="outputTokensPerSecond" name="output tokens/s by batch size" stroke="#1f5fbf" isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </section>
        <section className="panel">
          <h2>Self-host vs. API by monthly volume (USD/month)</h2>
          {apiPerMillionOutput === null ? (
            <p className="muted">No API traffic in the last 30 days to compare with.</p>
          ) : (
            <>
              <p className="muted">
                You produced {formatCount(Math.round(actualMonthlyOutputM))}M output tokens on APIs in 30 days. Break-even: {be === null ? "not within 4× your volume" : `${formatCount(Math.round(be))}M output tokens/month`}.
              </p>
              <ResponsiveContainer width="100%" height={220}>
                <LineChart data={beCurve} margin={{ top: 8, right: 12, left: 12, bottom: 16 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="millionOutputTokensPerMonth" type="number" tickFormatter={(v: number) => `${Math.round(v)}M`} fontSize={12} label={{ value: "output tokens per month", position: "insideBottom", offset: -8, fontSize: 12 }} />
                  <YAxis tickFormatter={(v: number) => formatUsd(v)} fontSize={12} width={90} />
                  <Tooltip formatter={(v) => formatUsd(Number(v))} labelFormatter={(l) => `${Math.round(Number(l))}M tokens`} />
                  <Legend />
                  <Line dataKey="apiUsd" name="API" stroke="#e07b00" dot={false} isAnimationActive={false} />
                  <Line dataKey="selfHostUsd" name="self-hosted" stroke="#1f5fbf" dot={false} isAnimationActive={false} type="stepAfter" />
                </LineChart>
              </ResponsiveContainer>
            </>
          )}
        </section>
      </div>
    </section>
  );
}
