import type pg from "pg";
import type { GpuSample } from "../../domain/ingest/types.ts";

export type GpuSampleRow = { orgId: string; sample: GpuSample };

/** Idempotent per (org, GPU, timestamp): re-sent or re-scraped samples are no-ops. */
const SQL = `
INSERT INTO gpu_samples (org_id, gpu_uuid, time, host, gpu_model_name, utilization_ratio, memory_used_bytes, power_watts, energy_joules_total, labels)
SELECT org_id, gpu_uuid, 'epoch'::timestamptz + time_ms * interval '1 millisecond', host, gpu_model_name, utilization_ratio,
       memory_used_bytes, power_watts, energy_joules_total, labels
FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::float8[], $7::int8[], $8::float8[], $9::float8[], $10::jsonb[])
  AS t(org_id, gpu_uuid, time_ms, host, gpu_model_name, utilization_ratio, memory_used_bytes, power_watts, energy_joules_total, labels)
ON CONFLICT (org_id, gpu_uuid, time) DO NOTHING
RETURNING org_id, time`;

export async function insertGpuSamples(client: pg.Pool | pg.PoolClient, rows: GpuSampleRow[]): Promise<{ orgId: string; time: Date }[]> {
  if (rows.length === 0) return [];
  // Key order, as every writer of a table takes its rows: two writers of the same GPUs (an OTLP batch and a scrape,
  // two scrape targets) wait for each other instead of deadlocking on the unique index.
  const sorted = [...rows].sort((a, b) => (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : a.sample.gpuUuid < b.sample.gpuUuid ? -1 : a.sample.gpuUuid > b.sample.gpuUuid ? 1 : a.sample.timeUnixMs - b.sample.timeUnixMs));
  const cols: unknown[][] = Array.from({ length: 10 }, () => new Array(sorted.length));
  sorted.forEach(({ orgId, sample: s }, i) => {
    const values = [orgId, s.gpuUuid, Math.round(s.timeUnixMs), s.host, s.gpuModelName, s.utilizationRatio,
      s.memoryUsedBytes === null ? null : Math.round(s.memoryUsedBytes), s.powerWatts, s.energyJoulesTotal, JSON.stringify(s.labels)];
    values.forEach((v, c) => (cols[c]![i] = v));
  });
  const result = await client.query<{ org_id: string; time: Date }>(SQL, cols);
  return result.rows.map((r) => ({ orgId: r.org_id, time: r.time }));
}
