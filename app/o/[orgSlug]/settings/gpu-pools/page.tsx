"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import type { FormEvent } from "react";
import { formatUsd } from "../../../../_charts/format.ts";
import { EmptyState, ErrorState, Loading } from "../../../../_components/states.tsx";
import { useTRPC } from "../../../../_trpc/react.tsx";

const csv = (v: FormDataEntryValue | null) => String(v ?? "").split(",").map((s) => s.trim()).filter(Boolean);

export default function GpuPoolsPage() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pools = useQuery(trpc.gpuPools.list.queryOptions({ orgSlug }));
  const org = useQuery(trpc.orgs.get.queryOptions({ orgSlug }));
  const canManage = org.data?.permissions.includes("pools:manage") ?? false;
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.gpuPools.list.queryKey({ orgSlug }) });
  const create = useMutation(trpc.gpuPools.create.mutationOptions({ onSuccess: () => void invalidate() }));
  const remove = useMutation(trpc.gpuPools.delete.mutationOptions({ onSuccess: () => void invalidate() }));
  const targets = useQuery(trpc.gpuPools.scrapeTargets.queryOptions({ orgSlug }));
  const canScrape = org.data?.permissions.includes("collectors:manage") ?? false;
  const refreshTargets = () => void queryClient.invalidateQueries({ queryKey: trpc.gpuPools.scrapeTargets.queryKey({ orgSlug }) });
  const addTarget = useMutation(trpc.gpuPools.createScrapeTarget.mutationOptions({ onSuccess: refreshTargets }));
  const removeTarget = useMutation(trpc.gpuPools.deleteScrapeTarget.mutationOptions({ onSuccess: refreshTargets }));

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    create.mutate({
      orgSlug,
      pool: {
        name: String(f.get("name")), gpuType: String(f.get("gpuType")), gpuCount: Number(f.get("gpuCount")), usdPerGpuHour: String(f.get("usdPerGpuHour")),
        usdPerKwh: String(f.get("usdPerKwh") ?? "").trim() || null,
        matchHosts: csv(f.get("matchHosts")), matchGpuUuids: csv(f.get("matchGpuUuids")), servesModels: csv(f.get("servesModels")), servesAddresses: csv(f.get("servesAddresses")),
      },
    });
  }

  return (
    <div>
      <p className="muted">
        A pool is self-hosted GPU capacity. Its cost per hour (GPUs × $/GPU-hour, for hours it reports samples) is split into
        <strong> busy</strong> cost, attributed to the calls it served, and <strong>idle</strong> cost, shown separately.
      </p>
      {canManage && (
        <form className="inline-form" onSubmit={onCreate} aria-label="Create GPU pool">
          <label>Name<input name="name" required maxLength={100} placeholder="llama-70b" /></label>
          <label>GPU type<input name="gpuType" required defaultValue="h100-sxm" /></label>
          <label>GPUs<input name="gpuCount" type="number" min={1} required defaultValue={2} /></label>
          <label>USD per GPU-hour<input name="usdPerGpuHour" required defaultValue="2.49" pattern="\d+(\.\d+)?" /></label>
          <label title="optional: adds the GPUs' measured energy to the pool's cost">USD per kWh (optional)<input name="usdPerKwh" placeholder="0.12" pattern="\d+(\.\d+)?" /></label>
          <label>Hosts (comma list)<input name="matchHosts" placeholder="gpu-node-1" /></label>
          <label>GPU UUIDs<input name="matchGpuUuids" placeholder="GPU-…" /></label>
          <label>Serves models<input name="servesModels" placeholder="meta-llama/Llama-3.1-70B-Instruct" /></label>
          <label>Serves addresses<input name="servesAddresses" placeholder="llama.internal" /></label>
          <button type="submit" disabled={create.isPending}>Add pool</button>
        </form>
      )}
      {(create.error ?? remove.error ?? addTarget.error) && <p role="alert" className="error">{(create.error ?? remove.error ?? addTarget.error)?.message}</p>}
      {pools.isPending ? (
        <Loading />
      ) : pools.error ? (
        <ErrorState error={pools.error} onRetry={() => void pools.refetch()} />
      ) : pools.data.length === 0 ? (
        <EmptyState title="No GPU pools">
          <p>Add a pool to price self-hosted models by GPU time, from DCGM / AMD / nvidia-smi exporter metrics.</p>
        </EmptyState>
      ) : (
        <table>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">GPUs</th><th scope="col">$/GPU-hour</th><th scope="col">Matches</th><th scope="col">Serves</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {pools.data.map((p) => (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td>{p.gpuCount} × {p.gpuType}</td>
                <td>{formatUsd(p.usdPerGpuHour)}{p.usdPerKwh !== null && <div className="muted">+ ${p.usdPerKwh}/kWh energy</div>}</td>
                <td>{[...p.matchHosts, ...p.matchGpuUuids].join(", ") || "—"}</td>
                <td>{[...p.servesModels, ...p.servesAddresses].join(", ") || "—"}</td>
                <td>{canManage && <button type="button" className="danger" onClick={() => remove.mutate({ orgSlug, id: p.id })}>Delete</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Scrape targets</h2>
      <p className="muted">Exporters InferLedger scrapes itself (dcgm-exporter :9400, AMD device-metrics-exporter :5000, nvidia_gpu_exporter :9835), as an alternative to forwarding their metrics over OTLP.</p>
      {canScrape && (
        <form
          className="inline-form"
          aria-label="Add scrape target"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            addTarget.mutate({ orgSlug, target: { url: String(f.get("url")), intervalSeconds: Number(f.get("interval")) } });
          }}
        >
          <label>Metrics URL<input name="url" type="url" required placeholder="http://gpu-node-1:9400/metrics" /></label>
          <label>Every (seconds)<input name="interval" type="number" min={5} max={3600} defaultValue={15} /></label>
          <button type="submit">Add target</button>
        </form>
      )}
      {targets.data && targets.data.length > 0 && (
        <table>
          <thead><tr><th scope="col">URL</th><th scope="col">Interval</th><th scope="col">Last scrape (UTC)</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {targets.data.map((t) => (
              <tr key={t.id}>
                <td><code>{t.url}</code></td>
                <td>{t.intervalSeconds} s</td>
                <td>{t.lastScrapeAt ? t.lastScrapeAt.toISOString().slice(0, 19).replace("T", " ") : "never"}</td>
                <td className={t.lastError ? "bad" : undefined}>{t.lastError ?? (t.lastScrapeAt ? "ok" : "waiting")}</td>
                <td>{canScrape && <button type="button" className="danger" onClick={() => removeTarget.mutate({ orgSlug, id: t.id })}>Delete</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
