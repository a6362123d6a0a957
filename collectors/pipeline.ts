import type { Db } from "../server/db/client.ts";
import { insertGpuSamples, type GpuSampleRow } from "../server/db/bulk/insert-gpu-samples.ts";
import type { SpanRow } from "../server/db/bulk/insert-spans.ts";
import { getEnv } from "../server/env.ts";
import { storeSpanBatchDurably } from "../server/services/settlement/store-span-batch.ts";
import { withTransaction } from "../server/db/transaction.ts";
import { markDirtyHours } from "../server/db/bulk/mark-dirty.ts";
import { InsertModePolicy } from "../server/domain/ingest/insert-mode-policy.ts";
import type { LlmUsage } from "../server/domain/ingest/types.ts";
import { normalizeGpuMetrics } from "../server/domain/normalize/normalize-gpu-metrics.ts";
import { normalizeSpans } from "../server/domain/normalize/normalize-spans.ts";
import { OtlpDecodeError } from "./decode/decode-error.ts";
import { decodeMetrics } from "./decode/decode-metrics.ts";
import { decodeTraces } from "./decode/decode-traces.ts";
import { encodeExportResponse } from "./decode/encode-response.ts";
import { badRequest } from "./errors.ts";
import { BatchWriter } from "./exporters/batch-writer.ts";
import type { IngestRateLimiter } from "./rate-limit/key-rate-limiter.ts";
import type { CollectorMetrics } from "./telemetry/collector-metrics.ts";
import type { ExportResult, OtlpConsumer } from "./types.ts";

/** Prices one call at ingest (price in force at its start); null = unpriced. */
export type Pricer = { price: (orgId: string, llm: LlmUsage, startMs: number) => { costUsd: string; priceRef: string } | null };
export const NO_PRICES: Pricer = { price: () => null };

export type IngestConsumer = OtlpConsumer & { drain: () => Promise<void>; pendingSpans: () => number };

/**
 * decode → normalize → price → store once. Spans go through a batching writer: one multi-row INSERT per batch (first
 * without ON CONFLICT, again with DO NOTHING if a span was stored before), in the same transaction as settling the
 * traces the batch holds whole and marking the others for the settler (store-span-batch.ts), so a re-sent batch
 * changes nothing and an acknowledged batch is durable.
 */
export function createIngestConsumer(settings: {
  db: Db;
  maxQueuedSpans: number;
  pricer?: Pricer;
  rateLimiter?: IngestRateLimiter;
  metrics?: CollectorMetrics;
}): IngestConsumer {
  const { db } = settings;
  const pricer = settings.pricer ?? NO_PRICES;
  const loopCallThreshold = getEnv().INFERLEDGER_LOOP_CALL_THRESHOLD;
  const insertPolicy = new InsertModePolicy();
  const spanWriter: BatchWriter<SpanRow> = new BatchWriter<SpanRow>({
    // Requests coalesced per transaction: a request waits behind at most two of them. 2,000 halved the soak's p99
    // against 4,000; 1,024 (two 512-span requests) then gave p99 310 → 244 ms at 13,900 spans/s and a higher
    // 10-minute maximum, 17.4k → 18.5k (bench/RESULTS.md, "Soak with the server's own metrics").
    maxBatchRows: getEnv().OTLP_SPAN_BATCH_ROWS,
    maxQueuedRows: settings.maxQueuedSpans,
    concurrency: getEnv().OTLP_SPAN_FLUSH_CONCURRENCY,
    observer: settings.metrics?.batchObserver("spans", () => spanWriter.pendingRows),
    flush: async (rows) => {
      await storeSpanBatchDurably(db.pool, rows, { loopCallThreshold, insertPolicy });
    },
  });
  const gpuWriter: BatchWriter<GpuSampleRow> = new BatchWriter<GpuSampleRow>({
    maxBatchRows: 5000,
    maxQueuedRows: settings.maxQueuedSpans,
    concurrency: 1,
    observer: settings.metrics?.batchObserver("gpu_samples", () => gpuWriter.pendingRows),
    flush: (rows) => withTransaction(db.pool, async (client) => {
      const inserted = await insertGpuSamples(client, rows);
      const hoursByOrg = new Map<string, number[]>();
      for (const r of inserted) {
        const hours = hoursByOrg.get(r.orgId);
        if (hours) hours.push(r.time.getTime());
        else hoursByOrg.set(r.orgId, [r.time.getTime()]);
      }
      // Orgs in sorted order: the lock order of every dirty_hours writer (mark-dirty.ts).
      for (const orgId of [...hoursByOrg.keys()].sort()) await markDirtyHours(client, orgId, hoursByOrg.get(orgId)!);
    }),
  });

  const decodeOr400 = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof OtlpDecodeError) throw badRequest(error.message);
      if (error instanceof RangeError) throw badRequest(`invalid OTLP payload: ${error.message}`); // e.g. absurd nesting
      throw error;
    }
  };

  const consumer: IngestConsumer = {
    async consume({ signal, orgId, keyId, body, encoding }): Promise<ExportResult> {
      if (keyId) await settings.rateLimiter?.admitRequest(keyId);
      if (signal === "traces") {
        const decoded = decodeOr400(() => decodeTraces(body, encoding));
        const normalized = normalizeSpans(decoded.resourceSpans);
        if (keyId) await settings.rateLimiter?.admitSpans(keyId, normalized.spans.length);
        const rows: SpanRow[] = normalized.spans.map((span) => {
          const priced = span.llm ? pricer.price(orgId, span.llm, Number(span.startTimeUnixNano / 1_000_000n)) : null;
          return { orgId, span, costUsd: priced?.costUsd ?? null, priceRef: priced?.priceRef ?? null };
        });
        await spanWriter.write(rows);
        return result(decoded.rejected + normalized.rejected, [...decoded.rejectReasons, ...normalized.rejectReasons]);
      }
      const decoded = decodeOr400(() => decodeMetrics(body, encoding));
      const samples = normalizeGpuMetrics(decoded.resourceMetrics);
      await gpuWriter.write(samples.map((sample) => ({ orgId, sample })));
      return result(decoded.rejected, decoded.rejectReasons);
    },
    encodeResponse: encodeExportResponse,
    drain: async () => {
      await Promise.all([spanWriter.drain(), gpuWriter.drain()]);
    },
    pendingSpans: () => spanWriter.pendingRows,
  };
  return settings.metrics ? settings.metrics.instrument(consumer) : consumer;
}

function result(rejected: number, reasons: string[]): ExportResult {
  return { rejected, errorMessage: reasons.length ? reasons.join("; ").slice(0, 1000) : null };
}
